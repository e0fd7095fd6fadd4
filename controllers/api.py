# Copyright 2026 sale_fulfillment_status authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status API: order statuses for EC sites and ordering systems, shipment
confirmations from 3PL warehouses. Described in ``core/openapi.py``."""

import json
import logging
import re

import psycopg2

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..core import api as core_api
from ..core.catalog import STATUS_CODES
from ..core.openapi import API_BASE, openapi_document
from ..models.utils import FulfillmentApiError

_logger = logging.getLogger(__name__)

BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)
# "db" picks the database when the server hosts several.
LIST_PARAMETERS = frozenset(
    {
        "client_order_ref",
        "status",
        "changed_since",
        "customer",
        "limit",
        "offset",
        "lang",
        "db",
    }
)
ORDER_PARAMETERS = frozenset({"lang", "db"})
SHIPMENT_PARAMETERS = frozenset({"db"})
STOCK_GROUP = "stock.group_stock_user"
ROUTE_OPTIONS = {"type": "http", "auth": "public", "csrf": False, "save_session": False}


class FulfillmentApi(http.Controller):
    @http.route(f"{API_BASE}/orders", methods=["GET"], readonly=True, **ROUTE_OPTIONS)
    def api_list_orders(self, **params):
        """Orders the key's user may see, filtered and paged."""
        return self._serve(self._list_orders, params)

    @http.route(
        f"{API_BASE}/orders/<path:reference>",
        methods=["GET"],
        readonly=True,
        **ROUTE_OPTIONS,
    )
    def api_get_order(self, reference, **params):
        """One order by its reference."""
        return self._serve(self._get_order, params, reference)

    @http.route(f"{API_BASE}/shipments", methods=["POST"], **ROUTE_OPTIONS)
    def api_confirm_shipment(self, **params):
        """A 3PL confirms what it shipped."""
        return self._serve(self._confirm_shipment, params)

    @http.route(
        f"{API_BASE}/openapi.json", methods=["GET"], readonly=True, **ROUTE_OPTIONS
    )
    def api_openapi(self, **params):
        """The OpenAPI description of this API (no key needed)."""
        return request.make_json_response(
            openapi_document(request.httprequest.host_url.rstrip("/"))
        )

    # ------------------------------------------------------------------
    # Handlers
    # ------------------------------------------------------------------

    def _list_orders(self, user, params):
        core_api.check_parameters(request.httprequest.args, LIST_PARAMETERS)
        self._use_language(params)
        limit, offset = core_api.parse_paging(params.get("limit"), params.get("offset"))
        changed_since = params.get("changed_since")
        api = request.env["sale.fulfillment.api"]
        domain = api._orders_domain(
            client_order_ref=params.get("client_order_ref"),
            statuses=core_api.parse_choices(
                params.get("status"), "status", STATUS_CODES
            ),
            changed_since=changed_since
            and core_api.parse_datetime(changed_since, "changed_since"),
            customer=core_api.parse_int(params.get("customer"), "customer", minimum=1),
            customer_view=user.share,
        )
        orders_model = request.env["sale.order"]
        orders = orders_model.search(domain, limit=limit, offset=offset, order="id")
        return request.make_json_response(
            {
                "orders": [
                    api._order_values(order, customer_view=user.share)
                    for order in orders
                ],
                "count": orders_model.search_count(domain),
                "limit": limit,
                "offset": offset,
            }
        )

    def _get_order(self, user, params, reference):
        core_api.check_parameters(request.httprequest.args, ORDER_PARAMETERS)
        self._use_language(params)
        order = self._find_order(reference)
        return request.make_json_response(
            request.env["sale.fulfillment.api"]._order_values(
                order, customer_view=user.share
            )
        )

    def _confirm_shipment(self, user, params):
        env = request.env
        if user.share or not user.has_group(STOCK_GROUP):
            raise FulfillmentApiError(
                403,
                "forbidden",
                env._("Confirming shipments needs a key of an Inventory user."),
            )
        core_api.check_parameters(request.httprequest.args, SHIPMENT_PARAMETERS)
        if request.httprequest.mimetype != "application/json":
            raise FulfillmentApiError(
                415,
                "unsupported_media_type",
                env._("Send the body as JSON, with Content-Type: application/json."),
            )
        try:
            data = json.loads(request.httprequest.get_data())
        except ValueError:
            raise FulfillmentApiError(
                400, "invalid_json", env._("The body is not valid JSON.")
            ) from None
        confirmation = core_api.parse_confirmation(data)
        fingerprint = core_api.fingerprint(data)
        confirmations = env["sale.fulfillment.shipment.confirmation"]
        previous = confirmations._replay(confirmation.confirmation_id, fingerprint)
        if previous:
            status, body = previous._response()
            return request.make_json_response(
                body, status=status, headers=[("Idempotent-Replayed", "true")]
            )
        # Anything refused below is undone: a 4xx changes nothing.
        with env.cr.savepoint():
            order = self._find_order(confirmation.order)
            record = confirmations._confirm(confirmation, fingerprint, order)
            body = {
                "confirmation_id": confirmation.confirmation_id,
                "validated": record.picking_ids.mapped("name"),
                "backorders": record.backorder_ids.mapped("name"),
                "order": env["sale.fulfillment.api"]._order_values(order),
            }
            record._store_response(201, body)
        return request.make_json_response(body, status=201)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _serve(self, handler, params, *args):
        """Authenticate, run ``handler``, and answer errors in JSON."""
        try:
            return handler(self._authenticate(), params, *args)
        except FulfillmentApiError as error:
            return self._error(error.status, error.code, error.message)
        except core_api.InvalidInput as error:
            return self._error(400, "invalid_parameter", self._invalid_message(error))
        except AccessError as error:
            _logger.info("Fulfillment API: access refused: %s", error)
            return self._error(
                403,
                "forbidden",
                request.env._("The key's user has no access to this data."),
            )
        except psycopg2.OperationalError:
            raise  # concurrent update: Odoo retries the whole request
        except Exception:
            _logger.exception("Fulfillment API: %s failed", request.httprequest.path)
            request.env.cr.rollback()
            return self._error(
                500, "internal_error", request.env._("The request could not be served.")
            )

    def _authenticate(self):
        """The user of the request's API key (Authorization: Bearer <key>)."""
        env = request.env
        match = BEARER.match(request.httprequest.headers.get("Authorization") or "")
        if not match:
            raise FulfillmentApiError(
                401,
                "unauthorized",
                env._("Send an API key: Authorization: Bearer <key>."),
            )
        # Global keys (no scope) and keys for "rpc", as Odoo's own bearer auth.
        uid = env["res.users.apikeys"]._check_credentials(scope="rpc", key=match[1])
        if not uid:
            raise FulfillmentApiError(
                401, "unauthorized", env._("The API key is wrong or expired.")
            )
        request.update_env(user=uid)
        user = request.env.user
        request.update_context(**user.context_get())
        return user

    def _use_language(self, params):
        """Labels in the ``lang`` parameter's language, else Accept-Language's,
        else the key user's; ``lang`` must be an active language."""
        active = [code for code, _name in request.env["res.lang"].get_installed()]
        wanted = params.get("lang")
        if wanted:
            lang = core_api.pick_language([wanted], active)
            if not lang:
                raise core_api.InvalidInput(
                    core_api.INVALID_CHOICE, "lang", value=wanted
                )
        else:
            header = request.httprequest.headers.get("Accept-Language")
            lang = core_api.pick_language(core_api.accept_language(header), active)
        if lang:
            request.update_context(lang=lang)

    def _find_order(self, reference):
        """The order ``reference``, if the key's user may see it.

        :raise FulfillmentApiError: 403 for an order of someone else, 404 for
            no such order
        """
        domain = [("name", "=", reference), ("fulfillment_status", "!=", False)]
        order = request.env["sale.order"].search(domain, limit=1)
        if order:
            return order
        if request.env["sale.order"].sudo().search_count(domain, limit=1):
            raise FulfillmentApiError(
                403, "forbidden", request.env._("You have no access to this order.")
            )
        raise FulfillmentApiError(
            404,
            "not_found",
            request.env._("No order %(reference)s.", reference=reference),
        )

    def _invalid_message(self, error):
        """The 400 message of ``error``, in the caller's language."""
        env = request.env
        field = error.field
        reason = error.reason
        if reason == core_api.OUT_OF_RANGE:
            minimum = error.details.get("minimum")
            maximum = error.details.get("maximum")
            if maximum is None:
                return env._(
                    "%(field)s must be at least %(minimum)s.",
                    field=field,
                    minimum=minimum,
                )
            return env._(
                "%(field)s must be between %(minimum)s and %(maximum)s.",
                field=field,
                minimum=minimum,
                maximum=maximum,
            )
        if reason == core_api.INVALID_CHOICE:
            return env._(
                "%(field)s: unknown value %(value)s.",
                field=field,
                value=error.details.get("value", ""),
            )
        messages = {
            core_api.INVALID_INTEGER: env._(
                "%(field)s must be an integer.", field=field
            ),
            core_api.INVALID_DATETIME: env._(
                "%(field)s must be an ISO 8601 date or date-time "
                "(2026-04-01T09:00:00Z).",
                field=field,
            ),
            core_api.UNKNOWN_PARAMETER: env._(
                "Unknown parameter %(field)s.", field=field
            ),
            core_api.NOT_AN_OBJECT: env._("The body must be a JSON object."),
            core_api.MISSING_FIELD: env._("%(field)s is missing.", field=field),
            core_api.INVALID_FIELD: env._("%(field)s is not valid.", field=field),
        }
        return messages.get(reason, reason)

    def _error(self, status, code, message):
        headers = []
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="fulfillment"'))
        return request.make_json_response(
            {"error": {"code": code, "message": message}},
            status=status,
            headers=headers,
        )
