from datetime import timedelta

from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        result = super().action_confirm()
        self._mkt_campaign_register_orders()
        return result

    def _mkt_campaign_register_orders(self):
        """A confirmed order answers the campaign steps its customer got within
        the campaign's response window; the customer's campaign lead is won."""
        orders = self.filtered(lambda o: o.state == "sale")
        if not orders:
            return
        customers = orders.partner_id.commercial_partner_id
        Participant = self.env["mkt.campaign.participant"].sudo()
        participants = Participant.search(
            [
                ("partner_id", "in", customers.ids),
                ("campaign_id.state", "in", ("running", "test", "done")),
            ]
        )
        for participant in participants:
            customer_orders = orders.filtered(
                lambda o, p=participant: o.partner_id.commercial_partner_id
                == p.partner_id
            )
            window = timedelta(days=participant.campaign_id.response_days)
            answered = participant.trace_ids.filtered(
                lambda t, orders=customer_orders, window=window: t.state == "processed"
                and any(
                    t.processed_at <= o.date_order <= t.processed_at + window
                    for o in orders
                )
            )
            if not answered:
                continue
            participant._register_response("order", traces=answered)
            lead = participant.lead_id
            if lead.active and lead.probability < 100:
                if lead.type == "lead":
                    lead.convert_opportunity(lead.partner_id)
                lead.action_set_won()
            for order in customer_orders.filtered(lambda o: not o.opportunity_id):
                order.opportunity_id = lead
