// Copyright 2026 sale_fulfillment_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// The stock flow's form shows its transition diagram as SVG: the web client
// must neither strip nor escape it.
registry.category("web_tour.tours").add("sale_fulfillment_status_flow_diagram", {
    steps: () => [
        {
            content: "The diagram draws a box per status",
            trigger: ".o_fulfillment_flow_diagram svg rect.sfs-status[data-code='received']",
        },
        {
            content: "A transition is an arrow",
            trigger:
                ".o_fulfillment_flow_diagram svg path.sfs-transition[data-from='preparing'][data-to='shipped']",
        },
        {
            content: "Hold is a side branch",
            trigger: ".o_fulfillment_flow_diagram svg rect.sfs-branch[data-code='on_hold']",
        },
        {
            content: "Labels are text, not markup shown as text",
            trigger: ".o_fulfillment_flow_diagram svg text:contains(All goods shipped)",
        },
        {
            content: "The diagram is laid out at its size, not squashed",
            trigger: ".o_fulfillment_flow_diagram svg",
            run() {
                const box = this.anchor.getBoundingClientRect();
                if (box.width < 300 || box.height < 300) {
                    throw new Error(`diagram drawn at ${box.width}x${box.height}`);
                }
            },
        },
    ],
});
