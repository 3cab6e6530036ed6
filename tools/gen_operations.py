#!/usr/bin/env python3
"""Regenerates server/api/sesv2_operations.inc from the sesv2 model botocore ships.

The table (server/api/sesv2_operations.cpp) lets the router name an SES v2 operation this server does not implement
(501) instead of answering a generic 404.
"""
import botocore.session

model = botocore.session.get_session().get_service_model("sesv2")
print("// Every SES v2 operation with its HTTP method and path template, taken from the")
print("// sesv2 service model that botocore ships (regenerate with tools/gen_operations.py).")
for name in sorted(model.operation_names):
    http = model.operation_model(name).http
    print('{"%s", "%s", "%s"},' % (http["method"], http["requestUri"].split("?")[0], name))
