"""Campaign engine: participants entered per second, and an email step against
Odoo's own mass mailing sending the same template to the same customers.

    ./mkt bench campaign --partners 100000 --mailed 10000

Steps, in one run on a fresh database:

1. 100,000 customers (no orders needed) with email addresses, a live segment
   of all of them, a campaign whose first step is an email. Starting the
   campaign lets the whole segment enter: one INSERT ... SELECT of the
   participants and of their first traces. Goal: at least 2,000 participants
   per second.
2. The email step for 10,000 of them (the others are due later), processed by
   the cron's own loop (claims, batches, commits), then the mail queue sends
   the mails. The same template goes to the same 10,000 customers through a
   plain ``mailing.mailing`` (``action_send_mail``), and its mails are sent the
   same way; both sides alternate in rounds (``--rounds``), and the ratios
   are taken per round (median and range). SMTP is replaced
   as in Odoo's tests (``smtplib.SMTP`` gives a session that keeps nothing),
   for both sides: mail never leaves the machine.
   Goal: the campaign step at least as fast as the mass mailing.
3. Queries per batch for batches of 100 and 1,000 participants: ours are the
   same; core's mail creation adds one INSERT per 100 rows of mail.message,
   mail.mail and mailing.trace (and one UPDATE of the mailing traces).
"""

import statistics
import time
from unittest.mock import patch

from common import Timer, argument_parser, bench_env, peak_memory_mib, report
from datagen import generate

TEMPLATE_BODY = """<div style="font-family: Arial">
<p>Dear <t t-out="object.name"/>,</p>
<p>Our new olive oil from Crete has arrived. Taste it: we send you a free
sample. <a href="https://www.feinkost-welt.example/olive-oil">Discover it</a>.</p>
<p>Kind regards, Feinkost Welt</p></div>"""


class NullSMTP:
    """What Odoo's tests put in place of an SMTP connection: accepts, keeps nothing."""

    sent = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_message(self, message, smtp_from, smtp_to_list):
        NullSMTP.sent += 1

    def quit(self):
        pass

    def set_debuglevel(self, level):
        pass

    def ehlo_or_helo_if_needed(self):
        pass

    def ehlo(self, *args):
        pass

    def login(self, user, password):
        pass

    def starttls(self, *args, **kwargs):
        pass


def send_queue(env, mailing):
    """Send the queued mails of ``mailing`` as the mail queue cron does."""
    mails = env["mail.mail"].search(
        [("mailing_id", "=", mailing.id), ("state", "=", "outgoing")]
    )
    mails.send(auto_commit=True)
    env.cr.commit()
    return len(mails)


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--mailed", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds of both sides"
    )
    args = parser.parse_args()
    with (
        bench_env(args.database) as env,
        patch("smtplib.SMTP", NullSMTP),
        patch("smtplib.SMTP_SSL", NullSMTP),
    ):
        with Timer() as generation:
            summary = generate(env, args.partners, 0, 1)
            env.cr.execute(
                """UPDATE res_partner
                      SET email = 'bench' || id || '@example.com',
                          email_normalized = 'bench' || id || '@example.com'
                    WHERE ref = 'bench'"""
            )
            env.cr.commit()
        env.cr.execute("ANALYZE")
        ids = summary.partner_ids
        warm_ids = ids[: args.warmup]
        mailed_ids = ids[args.warmup : args.warmup + args.mailed]
        template = env["mail.template"].create(
            {
                "name": "Bench olive oil",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "subject": "Our new olive oil: a free sample for you",
                "email_from": "marketing@feinkost-welt.example",
                "body_html": TEMPLATE_BODY,
            }
        )
        segment = env["mkt.segment"].create(
            {"name": "Bench: everybody", "domain": "[('ref', '=', 'bench')]"}
        )
        campaign = env["mkt.campaign"].create(
            {"name": "Bench campaign", "segment_id": segment.id}
        )
        step = env["mkt.campaign.activity"].create(
            {
                "campaign_id": campaign.id,
                "name": "Invitation",
                "mail_template_id": template.id,
                "unit_cost": 0.01,
            }
        )
        env.cr.commit()

        # 1. The whole segment enters.
        with Timer() as entering:
            campaign.action_start()
            env.cr.commit()
        entered = campaign.participant_count
        # The statistics are those of empty tables until autovacuum comes by:
        # the statements below would join 100,000 rows by nested loops.
        env.cr.execute("ANALYZE mkt_campaign_participant, mkt_campaign_trace")

        # Only the warm-up and the measured customers are due now.
        env.cr.execute(
            """UPDATE mkt_campaign_trace t SET scheduled_at = now() + interval '1 year'
                 FROM mkt_campaign_participant p
                WHERE p.id = t.participant_id AND t.campaign_id = %s
                  AND NOT p.partner_id = ANY(%s)""",
            [campaign.id, warm_ids + mailed_ids],
        )
        env.cr.commit()
        Trace = env["mkt.campaign.trace"]

        def campaign_step(partner_ids):
            env.cr.execute(
                """UPDATE mkt_campaign_trace t SET scheduled_at = now() - interval '1 minute'
                     FROM mkt_campaign_participant p
                    WHERE p.id = t.participant_id AND t.campaign_id = %s
                      AND p.partner_id = ANY(%s)""",
                [campaign.id, partner_ids],
            )
            env.cr.commit()
            start = time.perf_counter()
            done = Trace._process_due(campaigns=campaign, auto_commit=True)
            queued = time.perf_counter() - start
            sent = send_queue(env, step.mailing_id)
            return done, sent, queued, time.perf_counter() - start

        def mass_mailing(partner_ids, name):
            mailing = env["mailing.mailing"].create(
                {
                    "subject": template.subject,
                    "body_arch": template.body_html,
                    "body_html": template.body_html,
                    "email_from": template.email_from,
                    "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                    "mailing_domain": repr([("id", "in", partner_ids)]),
                    "name": name,
                }
            )
            env.cr.commit()
            start = time.perf_counter()
            mailing.action_send_mail()
            env.cr.commit()
            queued = time.perf_counter() - start
            sent = send_queue(env, mailing)
            return sent, queued, time.perf_counter() - start

        # Warm both paths on other customers, then measure in alternating
        # rounds, so that the load of a shared machine weighs on both sides.
        env.cr.execute(
            "UPDATE mkt_campaign_trace SET scheduled_at = now() + interval '1 year'"
            " WHERE campaign_id = %s AND state = 'scheduled'",
            [campaign.id],
        )
        campaign_step(warm_ids)
        mass_mailing(warm_ids, "Bench warm-up")
        done = campaign_sent = mailing_sent = 0
        campaign_queued = campaign_total = mailing_queued = mailing_total = 0.0
        queue_ratios, total_ratios = [], []
        rounds = max(args.rounds, 1)
        size = -(-len(mailed_ids) // rounds)
        for number in range(rounds):
            chunk = mailed_ids[number * size : (number + 1) * size]
            # Each side goes first every other round: a load that rises or
            # falls during a round weighs on both alike.
            sides = ["campaign", "mailing"]
            if number % 2:
                sides.reverse()
            for side in sides:
                if side == "campaign":
                    step_done, c_sent, c_queued, c_total = campaign_step(chunk)
                else:
                    m_sent, m_queued, m_total = mass_mailing(
                        chunk, f"Bench mass mailing {number + 1}"
                    )
            done, campaign_sent = done + step_done, campaign_sent + c_sent
            mailing_sent += m_sent
            campaign_queued += c_queued
            campaign_total += c_total
            mailing_queued += m_queued
            mailing_total += m_total
            queue_ratios.append(m_queued / c_queued)
            total_ratios.append(m_total / c_total)

        small, large = queries_per_batch(env, campaign, ids)

    report(
        f"campaign engine, {summary.partners:,} customers",
        [
            ("generated in", f"{generation.seconds:.1f} s"),
            ("participants entered", f"{entered:,} in {entering.seconds:.2f} s"),
            ("entered per second", f"{entered / entering.seconds:,.0f} (goal >= 2,000)"),
            ("email step (cron loop)", f"{done:,} participants, mails queued in "
                                       f"{campaign_queued:.2f} s, queued and sent "
                                       f"({campaign_sent:,}) in {campaign_total:.2f} s"),
            ("mass mailing, same template",
             f"queued in {mailing_queued:.2f} s, queued and sent ({mailing_sent:,}) "
             f"in {mailing_total:.2f} s"),
            ("speed campaign / mass mailing, queueing",
             f"{spread(queue_ratios)} (goal >= 1)"),
            ("speed campaign / mass mailing, with sending",
             f"{spread(total_ratios)} (goal >= 1)"),
            ("same, all rounds together",
             f"queueing {mailing_queued / campaign_queued:.2f}, with sending "
             f"{mailing_total / campaign_total:.2f}"),
            ("SMTP sessions faked (both sides)", f"{NullSMTP.sent:,} messages"),
            ("queries per batch of 100 / 1,000",
             f"{small} / {large} (the difference: core's mail creation, which "
             f"inserts mail.message, mail.mail and mailing.trace 100 rows per "
             f"statement)"),
            ("peak memory", f"{peak_memory_mib():.0f} MiB"),
        ],
    )  # fmt: skip


def spread(ratios):
    """Median of the per-round ratios, with their range and each of them."""
    each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    return (
        f"{statistics.median(ratios):.2f} median, {min(ratios):.2f}-"
        f"{max(ratios):.2f} over {len(ratios)} rounds ({each})"
    )


def queries_per_batch(env, campaign, ids):
    """Queries of one email batch of 100 and of 1,000 participants."""
    Trace = env["mkt.campaign.trace"]
    counts = []
    for size, partner_ids in ((100, ids[-100:]), (1000, ids[-1100:-100])):
        env.cr.execute(
            """UPDATE mkt_campaign_trace t SET scheduled_at = now() - interval '1 minute'
                 FROM mkt_campaign_participant p
                WHERE p.id = t.participant_id AND t.campaign_id = %s
                  AND p.partner_id = ANY(%s)""",
            [campaign.id, partner_ids],
        )
        env.flush_all()
        env.invalidate_all()
        before = env.cr.sql_log_count
        processed = Trace._process_next_batch(size, campaigns=campaign)
        env.flush_all()
        counts.append(env.cr.sql_log_count - before)
        assert processed == size, (processed, size)
        env.cr.commit()
    return counts


if __name__ == "__main__":
    main()
