"""Sources of planned demand that purchases are proposed for.

A promotion action plans quantities per product; a campaign (mkt_campaign_purchase)
expects orders for the articles it offers. Both are *demand sources*: they
inherit ``mkt.purchase.demand.mixin`` and implement its small protocol (the
``_purchase_*_field`` attributes and the methods marked "protocol" below). The
netting against stock and open purchases, the grouping into purchase orders
and the locking against parallel proposals live here and in the proposal
wizard, once for every source.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, float_round

DEMAND_MIXIN = "mkt.purchase.demand.mixin"
# Purchase order states whose quantities are not yet incoming moves.
RFQ_STATES = ("draft", "sent", "to approve")
CONFIRMED_STATES = ("purchase", "done")


class MktPurchaseDemandMixin(models.AbstractModel):
    _name = DEMAND_MIXIN
    _description = "Source of Planned Demand to Purchase"

    # Protocol: the many2one to the source on purchase.order, and the one on
    # the proposal wizard mkt.purchase.proposal.
    _purchase_order_field = None
    _purchase_proposal_field = None

    purchase_order_count = fields.Integer(
        string="Purchases",
        compute="_compute_purchase_order_count",
        groups="purchase.group_purchase_user",
    )
    purchase_proposal_date = fields.Datetime(
        string="Last Purchase Proposal",
        readonly=True,
        copy=False,
        help="When purchase orders were last proposed for these products (from "
        "here or from another promotion action or campaign with the same "
        "products).",
    )

    def _compute_purchase_order_count(self):
        counts = dict(
            self.env["purchase.order"]._read_group(
                [(self._purchase_order_field, "in", self.ids)],
                [self._purchase_order_field],
                ["__count"],
            )
        )
        for source in self:
            source.purchase_order_count = counts.get(source, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_propose_purchase(self):
        """Open the purchase proposal (a preview) for the source's demand."""
        self.ensure_one()
        self._check_purchase_proposal()
        proposal = self.env["mkt.purchase.proposal"].create(
            {
                self._purchase_proposal_field: self.id,
                "company_id": self.company_id.id,
                "line_ids": [
                    fields.Command.create(values)
                    for values in self._get_purchase_needs()
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Purchase Proposal for %(action)s",
                action=self._get_purchase_origin(),
            ),
            "res_model": "mkt.purchase.proposal",
            "res_id": proposal.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_purchase_orders(self):
        self.ensure_one()
        field = self._purchase_order_field
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action.update(
            domain=[(field, "=", self.id)],
            context={f"default_{field}": self.id, "create": False},
        )
        return action

    # ------------------------------------------------------------------
    # Protocol: what each source implements
    # ------------------------------------------------------------------

    def _check_purchase_proposal(self):
        """Raise a ``UserError`` when no purchase may be proposed for the source
        (ended, nothing planned ...)."""

    def _get_purchase_products(self):
        """The products the source plans (``product.product``)."""
        raise NotImplementedError

    @api.model
    def _get_purchase_demand(self, company, products):
        """The demand of the company's open sources of this model for
        ``products``: a list of ``(source, product, planned_qty, open_qty)``,
        ``open_qty`` being the planned quantity less what the source's
        confirmed sales orders already took (in the product's unit)."""
        raise NotImplementedError

    def _get_purchase_origin(self):
        """The source document written on the purchase orders."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Demand netting
    # ------------------------------------------------------------------

    def _get_open_purchase_products(self):
        """The source's products that are bought: goods that can be purchased."""
        return self._get_purchase_products().filtered(
            lambda product: product.type == "consu" and product.purchase_ok
        )

    def _get_purchase_needs(self):
        """Per product of the source: demand not covered by stock and open
        purchases, with the vendor to buy it from.

        The demand is that of every open source of the company with the
        product (promotion actions, campaigns: the planned quantity less what
        their confirmed orders already took), so that two sources with the
        same product do not each order against the same stock. It is covered
        by the forecast (on hand + incoming - outgoing, i.e. confirmed
        purchases not received yet and confirmed sales not delivered yet) for
        products tracked in stock, and by the quantities of requests for
        quotation, which have no stock moves yet: those of an earlier proposal
        count, so a second run does not propose them again. Goods not tracked
        in stock have no forecast: only their confirmed purchases not received
        yet cover them.

        Sales, stock and purchase figures are read as superuser, restricted to
        the source's company: marketing staff and buyers see the coverage of
        the plan without rights on sales orders, stock or purchases.

        Set-based: a fixed number of queries whatever the number of products.
        Returns a list of values for ``mkt.purchase.proposal.line``.
        """
        self.ensure_one()
        company = self.company_id
        products = self._get_open_purchase_products()
        if not products:
            return []
        planned, demand, _sources = self._get_open_demand(products)
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

    @api.model
    def _get_purchase_demand_models(self):
        """Every model that is a demand source, in a fixed order."""
        return sorted(
            name
            for name in self.env.registry.descendants([DEMAND_MIXIN], "_inherit")
            if not self.env[name]._abstract
        )

    def _get_open_demand(self, products):
        """This source's planned quantities, the open demand of all open sources
        of the company (planned less sold, per source), and those sources."""
        planned, demand = defaultdict(float), defaultdict(float)
        sources = []
        for model_name in self._get_purchase_demand_models():
            Source = self.env[model_name]
            source_ids = set()
            for source, product, planned_qty, open_qty in Source._get_purchase_demand(
                self.company_id, products
            ):
                if source == self:
                    planned[product.id] += planned_qty
                demand[product.id] += open_qty
                source_ids.add(source.id)
            sources.append(Source.browse(sorted(source_ids)))
        return planned, demand, sources

    def _get_open_purchase_quantities(self, products):
        """Quantities in the products' units: on requests for quotation, and
        confirmed but not received yet, of the source's company."""
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
        """Serialise proposals for the same products: lock and stamp this source
        and every open source of the company with demand for them, whatever
        its model. A concurrent proposal fails at once (lock not available,
        or a serialisation failure when the first one committed after its
        snapshot); Odoo retries its request, which then sees the purchase
        orders of the first one."""
        self.ensure_one()
        _planned, _demand, sources = self._get_open_demand(products)
        now = fields.Datetime.now()
        for source in sources:
            if source._name == self._name:
                source |= self
            if not source:
                continue
            # Sorted ids and models: parallel proposals lock in the same order.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id "
                    "FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(source._table),
                    sorted(source.ids),
                )
            )
            # A technical stamp: buyers may propose for sources they cannot edit.
            source = source.sudo()
            source.purchase_proposal_date = now
            source.flush_recordset(["purchase_proposal_date"])
