# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import xml.etree.ElementTree as ET

from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import FulfillmentCommon

REPORT = "sale_fulfillment_status.action_report_definition_document"
SVG = "{http://www.w3.org/2000/svg}"


def _svg_elements(svg, tag, css_class):
    root = ET.fromstring(str(svg))
    return [
        el
        for el in root.iter(f"{SVG}{tag}")
        if css_class in (el.get("class") or "").split()
    ]


@tagged("post_install", "-at_install")
class TestDefinitionDocument(FulfillmentCommon):
    """The definition document shows the live configuration, and its changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.flows = cls.env["sale.fulfillment.flow"].search([])
        cls.stock_flow = cls.flows.filtered(lambda f: f.code == "stock")
        cls.statuses = cls.env["sale.fulfillment.status"].search([])
        cls.rules = cls.env["sale.fulfillment.exception.rule"].search([])

    def _render(self, lang=None, flows=None):
        report = self.env["ir.actions.report"]
        if lang:
            report = report.with_context(lang=lang)
        content, _kind = report._render_qweb_html(
            REPORT, (flows if flows is not None else self.flows).ids
        )
        return html.fromstring(content)

    def _texts(self, doc, xpath):
        return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]

    def _flow_block(self, doc, flow):
        blocks = doc.xpath(f"//div[@data-flow='{flow.code}']")
        self.assertEqual(len(blocks), 1, flow.code)
        return blocks[0]

    def test_everything_shown_when_document_rendered(self):
        """Every status, transition trigger, rule and template subject appears."""
        doc = self._render()
        catalog = doc.xpath("//table[contains(@class, 'o_sfs_catalog')]")[0]
        for status in self.statuses:
            with self.subTest(status=status.code):
                row = catalog.xpath(f".//tr[@data-code='{status.code}']")
                self.assertEqual(len(row), 1)
                text = " ".join(row[0].text_content().split())
                self.assertIn(status.name, text)
                self.assertIn(status.customer_label, text)
                if status.customer_message:
                    self.assertIn(" ".join(status.customer_message.split()), text)
        definitions = " ".join(
            doc.xpath("//table[contains(@class, 'o_sfs_definitions')]")[0]
            .text_content()
            .split()
        )
        for status in self.statuses.filtered("description"):
            self.assertIn(" ".join(status.description.split()), definitions)
            self.assertIn(" ".join(status.entry_trigger.split()), definitions)
        triggers = dict(
            self.env["sale.fulfillment.transition"]
            ._fields["trigger"]
            ._description_selection(self.env)
        )
        for flow in self.flows:
            with self.subTest(flow=flow.code):
                block = self._flow_block(doc, flow)
                shown = self._texts(block, ".//td[contains(@class, 'o_sfs_trigger')]")
                self.assertEqual(
                    shown, [triggers[t.trigger] for t in flow.transition_ids]
                )
                arrows = block.xpath(".//path[contains(@class, 'sfs-transition')]")
                self.assertEqual(len(arrows), len(flow.transition_ids))
                boxes = block.xpath(".//rect[contains(@class, 'sfs-status')]")
                self.assertEqual(
                    [b.get("data-code") for b in boxes], flow.status_ids.mapped("code")
                )
        matrix = doc.xpath("//table[contains(@class, 'o_sfs_matrix')]//tbody/tr")
        self.assertEqual(len(matrix), len(self.rules))
        subjects = self._texts(doc, "//td[contains(@class, 'o_sfs_subject')]")
        templates = (
            self.statuses.filtered("notify_customer").mail_template_id
            | self.rules.mail_template_id
            | self.env.ref("sale_fulfillment_status.mail_template_fulfillment_delay")
        )
        self.assertTrue(templates)
        for template in templates:
            self.assertIn(" ".join(template.subject.split()), subjects)
        schedules = self._texts(doc, "//td[contains(@class, 'o_sfs_schedule')]")
        cron = self.env.ref("sale_fulfillment_status.ir_cron_delay_scan")
        self.assertIn(f"Every {cron.interval_number} Hours", schedules)

    def test_changes_shown_when_label_changed_and_transition_added(self):
        """A renamed status and a new transition show in the next printing."""
        received = self.statuses.filtered(lambda s: s.code == "received")
        partially = self.statuses.filtered(lambda s: s.code == "partially_shipped")
        before = self._render()
        stock_before = self._flow_block(before, self.stock_flow)
        self.assertNotIn("Order Booked", before.text_content())
        received.write({"name": "Order Booked", "customer_label": "We Got It"})
        self.stock_flow.write(
            {
                "transition_ids": [
                    Command.create(
                        {
                            "from_status_id": received.id,
                            "to_status_id": partially.id,
                            "trigger": "partial_shipment",
                            "role": "warehouse",
                        }
                    )
                ]
            }
        )
        after = self._render()
        row = after.xpath(
            "//table[contains(@class, 'o_sfs_catalog')]//tr[@data-code='received']"
        )[0]
        self.assertIn("Order Booked", row.text_content())
        self.assertIn("We Got It", row.text_content())
        stock_after = self._flow_block(after, self.stock_flow)
        box = stock_after.xpath(".//g[@data-code='received']//text")
        self.assertEqual(box[0].text, "Order Booked")
        arrows = stock_after.xpath(
            ".//path[contains(@class, 'sfs-transition')]"
            "[@data-from='received'][@data-to='partially_shipped']"
        )
        self.assertEqual(len(arrows), 1)
        self.assertEqual(
            len(stock_after.xpath(".//path[contains(@class, 'sfs-transition')]")),
            len(stock_before.xpath(".//path[contains(@class, 'sfs-transition')]")) + 1,
        )
        rows = self._texts(stock_after, ".//td[contains(@class, 'o_sfs_trigger')]")
        self.assertIn("Part of the goods shipped", rows)

    def test_one_box_per_status_when_flow_form_shows_diagram(self):
        """The flow form's diagram: a box per status, an arrow per transition."""
        for flow in self.flows:
            with self.subTest(flow=flow.code):
                svg = flow.diagram_svg
                self.assertTrue(str(svg).startswith("<svg"))
                boxes = _svg_elements(svg, "rect", "sfs-status")
                self.assertEqual(
                    [b.get("data-code") for b in boxes], flow.status_ids.mapped("code")
                )
                arrows = _svg_elements(svg, "path", "sfs-transition")
                self.assertEqual(len(arrows), len(flow.transition_ids))
                sides = [
                    b.get("data-code") for b in _svg_elements(svg, "rect", "sfs-branch")
                ]
                self.assertEqual(sides, ["on_hold", "cancelled"])

    def test_archived_transition_left_out_when_diagram_drawn(self):
        """An archived transition is neither drawn nor counted."""
        transition = self.stock_flow.transition_ids[:1]
        count = len(
            _svg_elements(self.stock_flow.diagram_svg, "path", "sfs-transition")
        )
        transition.active = False
        self.stock_flow.invalidate_recordset(["transition_ids", "diagram_svg"])
        self.assertEqual(
            len(_svg_elements(self.stock_flow.diagram_svg, "path", "sfs-transition")),
            count - 1,
        )

    def test_selected_flows_only_when_printed_from_selection(self):
        """Printing from a selection of flows draws those flows only."""
        doc = self._render(flows=self.stock_flow)
        self.assertEqual(
            [el.get("data-flow") for el in doc.xpath("//div[@data-flow]")], ["stock"]
        )
        # the catalog stays complete
        self.assertEqual(
            len(doc.xpath("//table[contains(@class, 'o_sfs_catalog')]//tbody/tr")),
            len(self.statuses),
        )

    def test_japanese_when_printed_in_japanese(self):
        """Printed by a Japanese user, statuses read in Japanese, diagram too."""
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"]._load_module_terms(
            ["sale_fulfillment_status"], ["ja_JP"], overwrite=True
        )
        user = self.fulfillment_user
        user.lang = "ja_JP"
        doc = self._render(lang=user.lang)
        row = doc.xpath(
            "//table[contains(@class, 'o_sfs_catalog')]//tr[@data-code='received']"
        )[0]
        self.assertIn("受付", row.text_content())
        stock = self._flow_block(doc, self.stock_flow)
        self.assertEqual(
            stock.xpath(".//g[@data-code='received']//text")[0].text, "受付"
        )
        self.assertEqual(doc.get("lang"), "ja-JP")

    def test_print_action_when_menu_used(self):
        """The menu's server action prints all flows with the document report."""
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        action = self.env.ref(
            "sale_fulfillment_status.action_server_definition_document"
        ).run()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "sale_fulfillment_status.report_definition_document"
        )
        self.assertEqual(
            sorted(action["context"]["active_ids"]), sorted(self.flows.ids)
        )


@tagged("post_install", "-at_install")
class TestFlowDiagramTour(HttpCase):
    """The flow form shows the diagram in the browser."""

    def test_diagram_drawn_when_flow_form_opened(self):
        """Tour: the stock flow's form draws boxes, arrows and side branches."""
        flow = self.env["sale.fulfillment.flow"].search([("code", "=", "stock")])
        self.start_tour(
            f"/odoo/action-sale_fulfillment_status.sale_fulfillment_flow_action/{flow.id}",
            "sale_fulfillment_status_flow_diagram",
            login="admin",
        )
