from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("mkt_flatrate", "Shipping flat rate")],
        ondelete={"mkt_flatrate": "set default"},
    )
    mkt_flatrate_free_over = fields.Float(
        string="Flat Rate: Free From",
        help="Customers with a running shipping flat rate ship free from this order "
        "value (goods, taxes included).",
    )
    mkt_flatrate_surcharge = fields.Float(
        string="Flat Rate: Small-Order Surcharge",
        help="What customers with a running flat rate pay below that value.",
    )

    def rate_shipment(self, order):
        """Shipping benefits of the order's promotion action lower the price here,
        so that they apply wherever a delivery method is priced."""
        result = super().rate_shipment(order)
        if result and result.get("success") and order.mkt_promotion_id:
            price, benefit = order._mkt_shipping_price(result["price"])
            if benefit:
                result["price"] = price
                result["mkt_benefit_id"] = benefit.id
                result["warning_message"] = self.env._(
                    "%(action)s: %(benefit)s",
                    action=order.mkt_promotion_id.display_name,
                    benefit=benefit._describe(),
                )
        return result

    # ------------------------------------------------------------------
    # Delivery type "shipping flat rate"
    # ------------------------------------------------------------------

    def mkt_flatrate_rate_shipment(self, order):
        """Customers with a running flat rate (or buying one with this order) ship
        free above the value limit and pay the small-order surcharge below it;
        everyone else pays the method's fixed price."""
        carrier = self._match_address(order.partner_shipping_id)
        if not carrier:
            return {
                "success": False,
                "price": 0.0,
                "error_message": self.env._(
                    "Error: this delivery method is not available for this address."
                ),
                "warning_message": False,
            }
        flatrate = self.env["mkt.shipping.flatrate"]._running_for_order(order)
        if not flatrate:
            price = order.pricelist_id._get_product_price(self.product_id, 1.0)
            return {
                "success": True,
                "price": price,
                "error_message": False,
                "warning_message": False,
            }
        value = order._mkt_goods_value()
        if value >= self.mkt_flatrate_free_over:
            price = 0.0
            message = self.env._("Shipping flat rate: free shipping.")
        else:
            price = self.mkt_flatrate_surcharge
            message = self.env._(
                "Shipping flat rate: small-order surcharge below %(limit)s.",
                limit=order.currency_id.format(self.mkt_flatrate_free_over),
            )
        return {
            "success": True,
            "price": price,
            "error_message": False,
            "warning_message": message,
        }

    def mkt_flatrate_send_shipping(self, pickings):
        # Used when stock_delivery is installed: the price is the one of the order.
        return [
            {
                "exact_price": sum(
                    picking.sale_id.order_line.filtered("is_delivery").mapped(
                        "price_subtotal"
                    )
                ),
                "tracking_number": False,
            }
            for picking in pickings
        ]
