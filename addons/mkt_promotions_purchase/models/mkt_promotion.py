from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

# Purchase order states whose quantities are not yet incoming moves.
RFQ_STATES = ("draft", "sent", "to approve")
CONFIRMED_STATES = ("purchase", "done")


class MktPromotion(models.Model):
    _inherit = "mkt.promotion"

    purchase_order_ids = fields.One2many(
        "purchase.order",
        "mkt_promotion_id",
        string="Purchase Orders",
        groups="purchase.group_purchase_user",
    )
    purchase_order_count = fields.Integer(
        string="Purchases",
        compute="_compute_purchase_order_count",
        groups="purchase.group_purchase_user",
    )
    purchase_proposal_date = fields.Datetime(
        string="Last Purchase Proposal",
        readonly=True,
        copy=False,
        help="When purchase orders were last proposed for the products of this "
        "action (by this action or another one planning the same products).",
    )

    def _compute_purchase_order_count(self):
        counts = dict(
            self.env["purchase.order"]._read_group(
                [("mkt_promotion_id", "in", self.ids)],
                ["mkt_promotion_id"],
                ["__count"],
            )
        )
        for promotion in self:
            promotion.purchase_order_count = counts.get(promotion, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_propose_purchase(self):
        """Open the purchase proposal (a preview) for the action's planned demand."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(
                self.env._(
                    'Promotion action "%(action)s" has ended: its planned demand '
                    "is no longer purchased.",
                    action=self.display_name,
                )
            )
        proposal = self.env["mkt.purchase.proposal"].create(
            {
                "promotion_id": self.id,
                "line_ids": [
                    fields.Command.create(values)
                    for values in self._get_purchase_needs()
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Purchase Proposal for %(action)s", action=self.code),
            "res_model": "mkt.purchase.proposal",
            "res_id": proposal.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_purchase_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action.update(
            domain=[("mkt_promotion_id", "=", self.id)],
            context={"default_mkt_promotion_id": self.id, "create": False},
        )
        return action

    # ------------------------------------------------------------------
    # Demand netting
    # ------------------------------------------------------------------

    def _get_open_purchase_products(self):
        """The action's products that are bought: goods that can be purchased."""
        return self.line_ids.product_id.filtered(
            lambda product: product.type == "consu" and product.purchase_ok
        )

    def _get_purchase_needs(self):
        """Per product of the action: planned demand not covered by stock and
        open purchases, with the vendor to buy it from.

        The demand is that of every draft or running action of the company
        planning the product (planned quantity less what their confirmed
        orders already took), so that two actions with the same product do not
        each order against the same stock. It is covered by the forecast
        (on hand + incoming - outgoing, i.e. confirmed purchases not received
        yet and confirmed sales not delivered yet) for products tracked in
        stock, and by the quantities of requests for quotation, which have no
        stock moves yet: those of an earlier proposal count, so a second run
        does not propose them again. Goods not tracked in stock have no
        forecast: only their confirmed purchases not received yet cover them.

        Sales, stock and purchase figures are read as superuser, restricted to
        the action's company: marketing staff and buyers see the coverage of
        the plan without rights on sales orders, stock or purchases.

        Set-based: a fixed number of queries whatever the number of products.
        Returns a list of values for ``mkt.purchase.proposal.line``.
        """
        self.ensure_one()
        company = self.company_id
        products = self._get_open_purchase_products()
        if not products:
            return []
        planned, demand = self._get_open_demand(products)
        rfq_qty, confirmed_qty = self._get_open_purchase_quantities(products)
        stock = {
            values["id"]: values
            for values in products.sudo()
            .with_context(allowed_company_ids=company.ids)
            .read(["qty_available", "virtual_available", "incoming_qty"])
        }
        today = fields.Date.context_today(self)
        needs = []
        for product in products.with_company(company):
            quantities = stock[product.id]
            if product.is_storable:
                on_hand = quantities["qty_available"]
                forecast = quantities["virtual_available"]
                incoming = quantities["incoming_qty"]
            else:
                on_hand = 0.0
                incoming = forecast = confirmed_qty.get(product.id, 0.0)
            rfq = rfq_qty.get(product.id, 0.0)
            to_order = max(demand.get(product.id, 0.0) - forecast - rfq, 0.0)
            to_order = float_round(
                to_order,
                precision_rounding=product.uom_id.rounding,
                rounding_method="UP",
            )
            purchase_uom = product.uom_po_id
            purchase_qty = product.uom_id._compute_quantity(
                to_order, purchase_uom, rounding_method="UP"
            )
            seller = (
                product._select_seller(
                    quantity=purchase_qty, date=today, uom_id=purchase_uom
                )
                or product._prepare_sellers(False).filtered(
                    lambda s: not s.company_id or s.company_id == company
                )[:1]
            )
            if seller and purchase_qty:
                purchase_qty = max(purchase_qty, seller.min_qty)
            needs.append(
                {
                    "product_id": product.id,
                    "planned_qty": planned.get(product.id, 0.0),
                    "demand_qty": demand.get(product.id, 0.0),
                    "qty_available": on_hand,
                    "forecast_qty": forecast,
                    "incoming_qty": incoming,
                    "rfq_qty": rfq,
                    "to_order_qty": to_order,
                    "seller_id": seller.id,
                    "purchase_qty": purchase_qty,
                }
            )
        return needs

    def _get_open_demand(self, products):
        """This action's planned quantities, and the open demand of all draft or
        running actions of the company (planned less sold, per action)."""
        promotion_lines = self.env["mkt.promotion.line"]._read_group(
            [
                ("product_id", "in", products.ids),
                ("company_id", "=", self.company_id.id),
                ("promotion_id.state", "in", ("draft", "running")),
            ],
            ["promotion_id", "product_id"],
            ["planned_qty:sum"],
        )
        promotions = self.browse({promotion.id for promotion, *_ in promotion_lines})
        sold = {
            (promotion, product): qty
            for promotion, product, qty in self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("mkt_promotion_id", "in", promotions.ids),
                    ("product_id", "in", products.ids),
                    ("state", "=", "sale"),
                    ("mkt_benefit_id", "=", False),
                ],
                ["mkt_promotion_id", "product_id"],
                ["product_uom_qty:sum"],
            )
        }
        planned, demand = {}, {}
        for promotion, product, qty in promotion_lines:
            if promotion == self:
                planned[product.id] = planned.get(product.id, 0.0) + qty
            remaining = max(qty - sold.get((promotion, product), 0.0), 0.0)
            demand[product.id] = demand.get(product.id, 0.0) + remaining
        return planned, demand

    def _get_open_purchase_quantities(self, products):
        """Quantities in the products' units: on requests for quotation, and
        confirmed but not received yet, of the action's company."""
        rfq_qty, confirmed_qty = {}, {}
        groups = (
            self.env["purchase.order.line"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("company_id", "=", self.company_id.id),
                    ("display_type", "=", False),
                    ("state", "in", RFQ_STATES + CONFIRMED_STATES),
                ],
                ["product_id", "product_uom", "state"],
                ["product_qty:sum", "qty_received:sum"],
            )
        )
        for product, uom, state, qty, received in groups:
            if state in RFQ_STATES:
                target, open_qty = rfq_qty, qty
            else:
                target, open_qty = confirmed_qty, max(qty - received, 0.0)
            target[product.id] = target.get(product.id, 0.0) + uom._compute_quantity(
                open_qty, product.uom_id, round=False
            )
        return rfq_qty, confirmed_qty

    def _lock_for_purchase_proposal(self, products):
        """Serialise proposals for the same products: lock and stamp the open
        actions planning them. A concurrent proposal fails at once (lock not
        available, or a serialisation failure when the first one committed
        after its snapshot); Odoo retries its request, which then sees the
        purchase orders of the first one."""
        self.env["mkt.promotion.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT p.id FROM mkt_promotion p
                    WHERE p.company_id = %(company)s
                      AND p.state IN ('draft', 'running')
                      AND (p.id = %(self)s OR EXISTS (
                          SELECT 1 FROM mkt_promotion_line l
                           WHERE l.promotion_id = p.id
                             AND l.product_id = ANY(%(products)s)))
                    ORDER BY p.id
                      FOR NO KEY UPDATE NOWAIT""",
                company=self.company_id.id,
                self=self.id,
                products=products.ids,
            )
        )
        locked = self.browse(row[0] for row in self.env.cr.fetchall())
        locked.purchase_proposal_date = fields.Datetime.now()
        locked.flush_recordset(["purchase_proposal_date"])
