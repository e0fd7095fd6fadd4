# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

CRON_XMLIDS = (
    "sale_fulfillment_status.ir_cron_delay_scan",
    "sale_fulfillment_status.ir_cron_confirm_arrivals",
)
DELAY_TEMPLATE_XMLID = "sale_fulfillment_status.mail_template_fulfillment_delay"


class ReportDefinitionDocument(models.AbstractModel):
    """The status definition document, read from the live configuration."""

    _name = "report.sale_fulfillment_status.report_definition_document"
    _description = "Fulfillment Status Definition Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        lang = (
            (data or {}).get("lang")
            or self.env.context.get("lang")
            or self.env.user.lang
            or "en_US"
        )
        return self.with_context(lang=lang)._document_values(docids, lang)

    @api.model
    def _document_values(self, docids, lang):
        flow_model = self.env["sale.fulfillment.flow"]
        flows = flow_model.browse(docids).exists() or flow_model.search(
            [("code", "!=", False)]
        )
        statuses = self.env["sale.fulfillment.status"].search([("code", "!=", False)])
        return {
            "doc_ids": flows.ids,
            "doc_model": flow_model._name,
            "docs": flows,
            "lang": lang,
            "company": self.env.company,
            "statuses": statuses,
            "rules": self.env["sale.fulfillment.exception.rule"].search(
                [("type", "!=", False)]
            ),
            "hold_reasons": self.env["sale.fulfillment.hold.reason"].search(
                [("code", "!=", False)]
            ),
            "notifications": self._notification_rows(statuses),
            "schedules": self._schedule_rows(),
            "printed_on": fields.Date.context_today(self),
        }

    @api.model
    def _notification_rows(self, statuses):
        """Which event sends which template to whom: one dict per event."""
        rows = []
        for status in statuses.filtered("notify_customer"):
            rows.append(
                self._notification_row(
                    self.env._("The order enters %(status)s", status=status.name),
                    status.mail_template_id,
                    status.notify_role_ids.mapped("name"),
                )
            )
        rules = self.env["sale.fulfillment.exception.rule"].search(
            [("mail_template_id", "!=", False)]
        )
        for rule in rules:
            rows.append(
                self._notification_row(
                    self.env._("Exception opened: %(rule)s", rule=rule.display_name),
                    rule.mail_template_id,
                    rule.notify_role_ids.mapped("name"),
                )
            )
        delay = self.env.ref(DELAY_TEMPLATE_XMLID, raise_if_not_found=False)
        if delay:
            rows.append(
                self._notification_row(
                    self.env._(
                        "Delay scan: the expected date slips again before the "
                        "customer answered the proposed new date (statuses with "
                        "delay emails)"
                    ),
                    delay,
                    [self.env._("Contacts with the roles of the order's status")],
                )
            )
        return rows

    @api.model
    def _notification_row(self, event, template, role_names):
        template = template.sudo()
        return {
            "event": event,
            "template": template.name or "",
            "subject": template.subject or "",
            "recipients": ", ".join([self.env._("Order contact"), *role_names]),
        }

    @api.model
    def _schedule_rows(self):
        """The scheduled actions of the addon and how often they run."""
        cron_model = self.env["ir.cron"].sudo()
        units = dict(
            cron_model._fields["interval_type"]._description_selection(self.env)
        )
        rows = []
        for xmlid in CRON_XMLIDS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if not cron:
                continue
            cron = cron.sudo()
            rows.append(
                {
                    "name": cron.name,
                    "schedule": self.env._(
                        "Every %(number)s %(unit)s",
                        number=cron.interval_number,
                        unit=units.get(cron.interval_type, cron.interval_type),
                    ),
                    "active": cron.active,
                }
            )
        return rows
