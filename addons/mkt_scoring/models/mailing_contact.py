from odoo import models


class MailingContact(models.Model):
    _name = "mailing.contact"
    _inherit = ["mailing.contact", "mkt.recommendation.mixin"]
