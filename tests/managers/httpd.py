# SPDX-License-Identifier: MIT
# A static file server on loopback for tests/managers.sh: serves DIR on
# 127.0.0.1 at a port the kernel picks, written to PORTFILE once listening.
# Usage: python3 httpd.py DIR PORTFILE
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=sys.argv[1], **kwargs)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % server.server_port)
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
