from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class MktPurchaseProposalLine(models.TransientModel):
    """One product of a purchase proposal: its demand, what covers it, and what
    to order from which vendor (editable before the orders are created)."""

    _name = "mkt.purchase.proposal.line"
    _description = "Purchase Proposal Line"
    _order = "partner_id, id"

    proposal_id = fields.Many2one(
        "mkt.purchase.proposal", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="proposal_id.company_id")
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    planned_qty = fields.Float(
        string="Planned Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        help="Planned quantity of the promotion action or campaign the proposal "
        "is for.",
    )
    demand_qty = fields.Float(
        string="Open Demand",
        digits="Product Unit of Measure",
        readonly=True,
        help="Planned quantities of all draft and running promotion actions and "
        "open campaigns of the company with this product, less what their "
        "confirmed orders already took.",
    )
    qty_available = fields.Float(
        string="On Hand", digits="Product Unit of Measure", readonly=True
    )
    incoming_qty = fields.Float(
        string="Incoming",
        digits="Product Unit of Measure",
        readonly=True,
        help="Confirmed purchases (and other receipts) not received yet.",
    )
    forecast_qty = fields.Float(
        string="Forecast",
        digits="Product Unit of Measure",
        readonly=True,
        help="On hand plus incoming less deliveries of confirmed sales orders.",
    )
    rfq_qty = fields.Float(
        string="Open RFQs",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantities on requests for quotation not confirmed yet, including "
        "those of earlier proposals.",
    )
    to_order_qty = fields.Float(
        string="Not Covered",
        digits="Product Unit of Measure",
        readonly=True,
        help="Open demand less forecast and open requests for quotation.",
    )
    seller_id = fields.Many2one(
        "product.supplierinfo",
        string="Vendor Price",
        domain="[('product_tmpl_id', '=', product_tmpl_id),"
        " ('company_id', 'in', (False, company_id))]",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    partner_id = fields.Many2one(
        related="seller_id.partner_id", string="Vendor", store=True
    )
    min_qty = fields.Float(related="seller_id.min_qty", string="Vendor Minimum")
    purchase_qty = fields.Float(
        string="To Order",
        digits="Product Unit of Measure",
        help="Quantity to order in the vendor's unit: the uncovered quantity, at "
        "least the vendor's minimum.",
    )
    purchase_uom_id = fields.Many2one(
        related="product_id.uom_po_id", string="Purchase Unit"
    )

    @api.constrains("purchase_qty")
    def _check_purchase_qty(self):
        for line in self:
            if line.purchase_qty < 0:
                raise ValidationError(
                    self.env._(
                        'Product "%(product)s": the quantity to order cannot be '
                        "negative (%(qty)s).",
                        product=line.product_id.display_name,
                        qty=line.purchase_qty,
                    )
                )

    @api.onchange("seller_id")
    def _onchange_seller_id(self):
        for line in self:
            if line.seller_id and line.purchase_qty:
                line.purchase_qty = max(line.purchase_qty, line.seller_id.min_qty)

    def _is_to_order(self):
        self.ensure_one()
        return (
            float_compare(
                self.purchase_qty, 0.0, precision_rounding=self.purchase_uom_id.rounding
            )
            > 0
        )
