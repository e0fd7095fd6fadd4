// Copyright 2026 sale_fulfillment_status authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Data comes from the Python test: a split-delivery order with a tracking
// number and a delay that asks the customer to accept a new date.
registry.category("web_tour.tours").add("sale_fulfillment_status_portal", {
    url: "/my/orders",
    steps: () => [
        {
            content: "The list shows the split order's customer status",
            trigger: "tr:has(.o_fulfillment_status_badge[data-status='partially_shipped'])",
        },
        {
            content: "Open the split-delivery order",
            trigger:
                "tr:has(.o_fulfillment_status_badge[data-status='partially_shipped']) td:first-child a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tracker highlights the current step",
            trigger: ".o_fulfillment_tracker .o_fulfillment_step_current:contains(Partially Shipped)",
        },
        {
            content: "Each line shows what remains to ship",
            trigger: ".o_fulfillment_line .o_fulfillment_remaining:contains(6.00)",
        },
        {
            content: "The shipment links to the carrier's tracking page",
            trigger: "a.o_fulfillment_tracking_link:contains(JP-TRACK-4711)",
        },
        {
            content: "The delay proposes a new date",
            trigger: ".o_fulfillment_exception .o_fulfillment_new_date",
        },
        {
            content: "Leave a message",
            trigger: ".o_fulfillment_decision_form textarea[name=message]",
            run: "edit Fine, please ship the rest then.",
        },
        {
            content: "Accept the new date",
            trigger: ".o_fulfillment_decision_form .o_fulfillment_accept_date",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is confirmed",
            trigger: ".o_fulfillment_decision_done",
        },
        {
            content: "The question shows the answer instead of the buttons",
            trigger: ".o_fulfillment_exception .o_fulfillment_answered",
        },
    ],
});
