from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class MktPurchaseProposal(models.TransientModel):
    """Preview of the purchase orders for the planned demand of a demand source
    (``mkt.purchase.demand.mixin``: a promotion action, a campaign ...).

    Shows per product the demand, what covers it and what to order from which
    vendor; the buyer adjusts quantities and vendors, then creates one draft
    purchase order per vendor, linked to the source.
    """

    _name = "mkt.purchase.proposal"
    _description = "Purchase Proposal from Planned Demand"

    # One many2one per kind of source (the source's ``_purchase_proposal_field``),
    # read through _get_demand_source().
    promotion_id = fields.Many2one("mkt.promotion", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    line_ids = fields.One2many("mkt.purchase.proposal.line", "proposal_id")
    missing_vendor_products = fields.Text(
        compute="_compute_missing_vendor_products",
        help="Products to order for which no vendor is set.",
    )
    has_purchase_rights = fields.Boolean(compute="_compute_has_purchase_rights")

    @api.depends("line_ids.seller_id", "line_ids.purchase_qty")
    def _compute_missing_vendor_products(self):
        for proposal in self:
            missing = proposal.line_ids.filtered(
                lambda line: line._is_to_order() and not line.seller_id
            )
            proposal.missing_vendor_products = (
                ", ".join(missing.product_id.mapped("display_name")) or False
            )

    def _compute_has_purchase_rights(self):
        allowed = self.env["purchase.order"].has_access("create")
        for proposal in self:
            proposal.has_purchase_rights = allowed

    def _get_demand_source(self):
        """The record whose demand this proposal is for. An add-on adding a kind
        of source adds its many2one and returns it here when set."""
        self.ensure_one()
        return self.promotion_id

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_create_purchase_orders(self):
        """Create one draft purchase order per vendor, or none at all."""
        self.ensure_one()
        source = self._get_demand_source()
        if not self.env["purchase.order"].has_access("create"):
            raise UserError(
                self.env._(
                    "Creating purchase orders needs the Purchase / User access right: "
                    "ask your purchasing department to propose the purchase for "
                    '"%(action)s".',
                    action=source.display_name,
                )
            )
        lines = self.line_ids.filtered(lambda line: line._is_to_order())
        if not lines:
            raise UserError(
                self.env._(
                    'Nothing to order for "%(action)s": stock and open purchases '
                    "cover the planned demand.",
                    action=source.display_name,
                )
            )
        self._check_lines(lines)
        source._lock_for_purchase_proposal(lines.product_id)
        self._check_still_needed(lines)
        orders = self._create_purchase_orders(lines)
        # Buyers may order for a source they cannot edit.
        source.sudo().message_post(
            body=self.env._(
                "Purchase proposal: %(orders)s created.",
                orders=", ".join(orders.mapped("name")),
            )
        )
        action = source.action_view_purchase_orders()
        if len(orders) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=orders.id)
        return action

    def _check_lines(self, lines):
        missing = lines.filtered(lambda line: not line.seller_id)
        if missing:
            raise UserError(
                self.env._(
                    "No vendor for these products, so no purchase order was created: "
                    "%(products)s. Add a vendor on the Purchase tab of each product, "
                    "or set its quantity to order to 0.",
                    products=", ".join(missing.product_id.mapped("display_name")),
                )
            )
        for line in lines:
            seller = line.seller_id
            if seller.product_tmpl_id != line.product_id.product_tmpl_id:
                raise UserError(
                    self.env._(
                        'Vendor price of "%(vendor)s" is not one of product '
                        '"%(product)s".',
                        vendor=seller.partner_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
            if (
                float_compare(
                    line.purchase_qty,
                    seller.min_qty,
                    precision_rounding=line.purchase_uom_id.rounding,
                )
                < 0
            ):
                raise UserError(
                    self.env._(
                        '"%(vendor)s" sells "%(product)s" from %(min_qty)s %(uom)s: '
                        "the quantity to order (%(qty)s) is below that.",
                        vendor=seller.partner_id.display_name,
                        product=line.product_id.display_name,
                        min_qty=seller.min_qty,
                        uom=line.purchase_uom_id.name,
                        qty=line.purchase_qty,
                    )
                )

    def _check_still_needed(self, lines):
        """Another proposal may have ordered the same products since this preview
        was made: propose again rather than order twice."""
        fresh = {
            values["product_id"]: values["to_order_qty"]
            for values in self._get_demand_source()._get_purchase_needs()
        }
        for line in lines:
            if (
                float_compare(
                    fresh.get(line.product_id.id, 0.0),
                    line.to_order_qty,
                    precision_rounding=line.product_uom_id.rounding,
                )
                < 0
            ):
                raise UserError(
                    self.env._(
                        'Stock or open purchases of "%(product)s" changed since this '
                        "proposal was made (another proposal or a purchase order in "
                        "the meantime): close it and propose the purchase again.",
                        product=line.product_id.display_name,
                    )
                )

    def _create_purchase_orders(self, lines):
        company = self.company_id
        by_vendor = defaultdict(lambda: self.env["mkt.purchase.proposal.line"])
        for line in lines:
            seller = line.seller_id
            by_vendor[seller.partner_id, seller.currency_id] |= line
        PurchaseOrder = self.env["purchase.order"].with_company(company)
        orders = PurchaseOrder.create(
            [
                self._prepare_purchase_order(partner, currency)
                for partner, currency in by_vendor
            ]
        )
        OrderLine = self.env["purchase.order.line"].with_company(company)
        OrderLine.create(
            [
                OrderLine._prepare_purchase_order_line(
                    line.product_id,
                    line.purchase_qty,
                    line.purchase_uom_id,
                    company,
                    line.seller_id,
                    order,
                )
                for order, vendor_lines in zip(orders, by_vendor.values(), strict=True)
                for line in vendor_lines
            ]
        )
        return orders

    def _prepare_purchase_order(self, partner, currency):
        """Values of a purchase order, as purchase_stock's procurement makes them
        (``stock.rule._prepare_purchase_order``), without a stock rule."""
        company = self.company_id
        source = self._get_demand_source()
        partner = partner.with_company(company)
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(company)
            ._get_fiscal_position(partner)
        )
        return {
            "partner_id": partner.id,
            "user_id": partner.buyer_id.id or self.env.user.id,
            "company_id": company.id,
            "currency_id": currency.id
            or partner.property_purchase_currency_id.id
            or company.currency_id.id,
            "origin": source._get_purchase_origin(),
            "payment_term_id": partner.property_supplier_payment_term_id.id,
            "fiscal_position_id": fiscal_position.id,
            source._purchase_order_field: source.id,
        }
