"""Campaigns as a demand source for purchase proposals: the articles a campaign
offers, and the orders it is expected to bring (its target customers times the
expected response rate)."""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round

# Campaigns whose expected orders are still to come.
OPEN_STATES = ("draft", "test", "running", "paused")
# Campaigns whose customers have entered: participants, not the segment, count.
STARTED_STATES = ("running", "paused", "done")


class MktCampaign(models.Model):
    _name = "mkt.campaign"
    _inherit = ["mkt.campaign", "mkt.purchase.demand.mixin"]
    _purchase_order_field = "mkt_campaign_id"
    _purchase_proposal_field = "campaign_id"

    product_ids = fields.One2many(
        "mkt.campaign.product",
        "campaign_id",
        string="Offered Articles",
        copy=True,
    )
    response_rate = fields.Float(
        string="Expected Response Rate (%)",
        digits=(16, 2),
        help="Share of the target customers expected to order, in percent.",
    )
    target_count = fields.Integer(
        string="Target Customers",
        compute="_compute_expected_orders",
        help="The participants once the campaign runs; before, the customers "
        "of its segment.",
    )
    expected_order_count = fields.Integer(
        string="Expected Orders",
        compute="_compute_expected_orders",
        help="Target customers times the expected response rate, rounded up to "
        "whole orders.",
    )
    purchase_order_ids = fields.One2many(
        "purchase.order",
        "mkt_campaign_id",
        string="Purchase Orders",
        groups="purchase.group_purchase_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        # A campaign made from a template offers what the template offers, as
        # it takes over its steps; what the new campaign names itself stays.
        for campaign in campaigns.filtered("template_id"):
            template = campaign.template_id
            if not campaign.product_ids:
                campaign.product_ids = [
                    Command.create(
                        {
                            "sequence": line.sequence,
                            "product_id": line.product_id.id,
                            "qty_per_order": line.qty_per_order,
                        }
                    )
                    for line in template.product_ids
                ]
            if not campaign.response_rate:
                campaign.response_rate = template.response_rate
        return campaigns

    @api.constrains("response_rate")
    def _check_response_rate(self):
        for campaign in self:
            if not 0 <= campaign.response_rate <= 100:
                raise ValidationError(
                    self.env._(
                        'Campaign "%(campaign)s": the "%(field)s" must be between '
                        "0 and 100 (%(rate)s).",
                        campaign=campaign.name,
                        field=campaign._mkt_field_label("response_rate"),
                        rate=campaign.response_rate,
                    )
                )

    @api.depends(
        "state",
        "segment_id",
        "response_rate",
        "participant_ids",
        "participant_ids.is_test",
    )
    def _compute_expected_orders(self):
        started = self.filtered(lambda campaign: campaign.state in STARTED_STATES)
        # Read as superuser: buyers without marketing rights see the expectation,
        # not the people, and it does not depend on who looks.
        participants = dict(
            self.env["mkt.campaign.participant"]
            .sudo()
            ._read_group(
                [("campaign_id", "in", started.ids), ("is_test", "=", False)],
                ["campaign_id"],
                ["__count"],
            )
        )
        for campaign in self:
            if campaign.state in STARTED_STATES:
                customers = participants.get(campaign, 0)
            else:
                customers = campaign.sudo().segment_id.partner_count
            campaign.target_count = customers
            # Orders are whole: 14.8 expected orders are 15 to stock for.
            campaign.expected_order_count = float_round(
                customers * campaign.response_rate / 100,
                precision_rounding=1,
                rounding_method="UP",
            )

    # ------------------------------------------------------------------
    # Demand source protocol (mkt.purchase.demand.mixin)
    # ------------------------------------------------------------------

    def _check_purchase_proposal(self):
        if self.is_template:
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s" is a template: propose the purchase '
                    "for a campaign created from it.",
                    campaign=self.name,
                )
            )
        if self.state == "done":
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s" is closed: its expected orders are no '
                    "longer purchased.",
                    campaign=self.name,
                )
            )
        if not self.product_ids:
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s" offers no articles: add them with their '
                    'quantity per order on the "Offered Articles" tab.',
                    campaign=self.name,
                )
            )
        if not self.response_rate:
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s" expects no orders: set the "%(field)s" '
                    'on the "Offered Articles" tab.',
                    campaign=self.name,
                    field=self._mkt_field_label("response_rate"),
                )
            )
        if not self.target_count:
            raise UserError(
                self.env._(
                    'Campaign "%(campaign)s" expects no orders: it has no target '
                    "customers (choose a segment with customers).",
                    campaign=self.name,
                )
            )

    def _get_purchase_products(self):
        return self.product_ids.product_id

    def _get_purchase_origin(self):
        return self.name

    @api.model
    def _get_purchase_demand(self, company, products):
        """Per open campaign of the company and offered article: the expected
        quantity, and what is left of it after the confirmed orders of the
        campaign (orders carrying its UTM campaign, e.g. from its mails)."""
        lines = self.env["mkt.campaign.product"].search(
            [
                ("product_id", "in", products.ids),
                ("company_id", "=", company.id),
                ("campaign_id.state", "in", OPEN_STATES),
                ("campaign_id.is_template", "=", False),
            ]
        )
        if not lines:
            return []
        sold = lines.campaign_id._get_sold_quantities(products)
        return [
            (
                line.campaign_id,
                line.product_id,
                line.expected_qty,
                max(
                    line.expected_qty
                    - sold.get((line.campaign_id.id, line.product_id.id), 0.0),
                    0.0,
                ),
            )
            for line in lines
        ]

    def _get_sold_quantities(self, products):
        """{(campaign id, product id): quantity} of the confirmed sales order
        lines of the campaigns' orders (one query, read whatever the user's
        rights on sales)."""
        self.env["mkt.campaign"].flush_model(["utm_campaign_id", "company_id"])
        self.env["sale.order"].flush_model(["campaign_id", "company_id"])
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "product_uom_qty", "state"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT c.id, l.product_id, SUM(l.product_uom_qty)
                     FROM mkt_campaign c
                     JOIN sale_order o ON o.campaign_id = c.utm_campaign_id
                                      AND o.company_id = c.company_id
                     JOIN sale_order_line l ON l.order_id = o.id
                    WHERE c.id = ANY(%s)
                      AND l.product_id = ANY(%s)
                      AND l.state = 'sale'
                    GROUP BY c.id, l.product_id""",
                self.ids,
                products.ids,
            )
        )
        return {(campaign, product): qty for campaign, product, qty in rows}
