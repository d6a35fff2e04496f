"""Plumbing shared by the fake Scoot scheduler and worker (fake_scoot_scheduler.py,
fake_scoot_worker.py): loading the generated Python code, a Thrift server and an HTTP handler
that answer the way Scoot's Go servers do, and running until SIGTERM or SIGINT.

`load_generated()` makes the `scoot` (idl/scoot.thrift) and `worker` (idl/worker.thrift)
packages importable: when PYTHONPATH does not already provide them it runs
`thrift --gen py` on the repository's IDL files into a temporary directory, removed at exit.

`GoStyleProcessor` serves one generated service the way Scoot's Thrift 0.9.3 Go processors do:
  * a TApplicationException raised by the handler is sent as an EXCEPTION message, after which
    the server closes the connection (Scoot reports its errors this way, as INTERNAL_ERROR
    "Internal error processing <Method>: <text>"; it never sends the IDL's declared exceptions);
  * a required field missing from the arguments is answered with PROTOCOL_ERROR carrying Go's
    text (e.g. "*scoot.JobDefinition error reading struct: Required field Tasks is not set"),
    then the connection is closed; so are arguments that do not decode (with Python's text);
  * an unknown method is answered with UNKNOWN_METHOD "Unknown function <name>", then the
    connection is closed;
  * any other exception in a handler is a crash: it is logged and the connection is closed
    without a reply, as the Go server does when a handler panics.

`ThriftServer` listens on an (ephemeral) port, serves each connection on a thread of its own and
the requests of one connection one after another, over unframed TBufferedTransport and
TBinaryProtocol (strict writes, lenient reads), like Scoot's TSimpleServer.

`GoHTTPHandler` answers like Go's net/http ServeMux: a path that is not clean (`//`, `.`, `..`)
is redirected (301) to its clean form with the query kept, errors are plain text ending in a
newline, and connections are kept alive (HTTP/1.1)."""
import atexit
import html
import importlib.util
import logging
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

IDL_DIR = Path(__file__).resolve().parents[2] / "idl"


def load_generated():
    """Puts Python code generated from idl/scoot.thrift and idl/worker.thrift on sys.path unless
    the `scoot` and `worker` packages are importable already."""
    missing = [name for name in ("scoot", "worker") if not _importable(f"{name}.ttypes")]
    if not missing:
        return
    out_dir = tempfile.mkdtemp(prefix="fake-scoot-gen-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    for name in missing:
        # The two IDLs both define RunStatus, but each generates its own package (named after
        # the file), so they share one output directory without colliding.
        subprocess.run(["thrift", "--gen", "py", "-out", out_dir, str(IDL_DIR / f"{name}.thrift")], check=True)
    sys.path.insert(0, out_dir)
    importlib.invalidate_caches()


def _importable(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


load_generated()

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.protocol.TProtocol import TProtocolException  # noqa: E402
from thrift.Thrift import TApplicationException, TMessageType, TType  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

# Apache Thrift logs every failed connect as an error; the fakes retry unreachable workers the way
# Scoot does, and the failure reaches the caller as an exception anyway.
logging.getLogger("thrift.transport.TSocket").setLevel(logging.CRITICAL)

_UNSET_FIELD = re.compile(r"Required field (\w+) is unset!")


class MissingRequiredField(Exception):
    """A required field was absent from a decoded argument; the text is Go's."""


def _go_field_name(name):
    return "ID" if name == "id" else name[0].upper() + name[1:]


def _check_required(value):
    """Raises MissingRequiredField, with the message Scoot's Go decoder would give, for the first
    required field missing in `value` or in a struct nested in it (nested structs first, in field
    order, as the Go decoder meets them)."""
    for spec in value.thrift_spec[1:]:
        if spec is None:
            continue
        _, field_type, name, type_args, _ = spec
        for child in _nested_structs(getattr(value, name), field_type, type_args):
            try:
                _check_required(child)
            except MissingRequiredField as error:
                raise MissingRequiredField(f"*{_go_type(child)} error reading struct: {error}") from None
    try:
        value.validate()
    except TProtocolException as error:
        match = _UNSET_FIELD.search(str(error.message))
        raise MissingRequiredField(f"Required field {_go_field_name(match.group(1))} is not set") from None


def _nested_structs(value, field_type, type_args):
    if value is None:
        return []
    if field_type == TType.STRUCT:
        return [value]
    if field_type in (TType.LIST, TType.SET) and type_args[0] == TType.STRUCT:
        return [item for item in value if item is not None]
    if field_type == TType.MAP and type_args[2] == TType.STRUCT:
        return [item for item in value.values() if item is not None]
    return []


def _go_type(value):
    return f"{type(value).__module__.split('.')[0]}.{type(value).__name__}"


class _CloseConnection(Exception):
    """The reply (if any) is written; the server must now close the connection."""


class GoStyleProcessor:
    """Serves the methods of one generated service module (e.g. scoot.CloudScoot) with `handler`,
    answering errors like Scoot's Go processors (see the module docstring)."""

    def __init__(self, service_module, handler):
        self.service = service_module
        self.handler = handler
        self.methods = {name for name in dir(service_module.Iface) if not name.startswith("_")}

    def process(self, iprot, oprot):
        name, _, seqid = iprot.readMessageBegin()
        if name not in self.methods:
            iprot.skip(TType.STRUCT)
            iprot.readMessageEnd()
            raise self._exception(oprot, name, seqid, TApplicationException.UNKNOWN_METHOD, f"Unknown function {name}")
        args = getattr(self.service, f"{name}_args")()
        try:
            args.read(iprot)
            iprot.readMessageEnd()
            _check_required(args)
        except (TProtocolException, MissingRequiredField) as error:
            raise self._exception(oprot, name, seqid, TApplicationException.PROTOCOL_ERROR, str(error)) from None
        result = getattr(self.service, f"{name}_result")()
        arguments = [getattr(args, spec[2]) for spec in args.thrift_spec[1:] if spec is not None]
        try:
            result.success = getattr(self.handler, name)(*arguments)
        except TApplicationException as error:
            raise self._exception(oprot, name, seqid, error.type, error.message) from None
        oprot.writeMessageBegin(name, TMessageType.REPLY, seqid)
        result.write(oprot)
        oprot.writeMessageEnd()
        oprot.trans.flush()

    @staticmethod
    def _exception(oprot, name, seqid, kind, message):
        """Sends TApplicationException(kind, message); returns the signal to close the connection."""
        oprot.writeMessageBegin(name, TMessageType.EXCEPTION, seqid)
        TApplicationException(kind, message).write(oprot)
        oprot.writeMessageEnd()
        oprot.trans.flush()
        return _CloseConnection()


class ThriftServer:
    """A threaded Thrift server on host:port (0 = ephemeral) for a GoStyleProcessor."""

    def __init__(self, processor, host="127.0.0.1", port=0):
        self.processor = processor
        self.listener = TSocket.TServerSocket(host=host, port=port)
        self.listener.listen()
        self.port = self.listener.handle.getsockname()[1]
        self._connections = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self):
        threading.Thread(target=self._accept_loop, name=f"thrift-{self.port}", daemon=True).start()
        return self

    def _accept_loop(self):
        while True:
            try:
                client = self.listener.accept()
            except (OSError, TTransport.TTransportException):
                return
            with self._lock:
                if self._closed:
                    client.close()
                    return
                self._connections.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        transport = TTransport.TBufferedTransport(client)
        protocol = TBinaryProtocol.TBinaryProtocol(transport)
        try:
            while True:
                self.processor.process(protocol, protocol)
        except (_CloseConnection, TTransport.TTransportException, TProtocolException, OSError):
            pass  # done, the client went away, or its message header did not decode
        except Exception:  # noqa: BLE001 - a handler crash: drop the connection, like a Go panic
            traceback.print_exc()
        finally:
            with self._lock:
                self._connections.discard(client)
            client.close()

    def close(self):
        with self._lock:
            self._closed = True
            connections = list(self._connections)
        try:
            self.listener.handle.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for client in connections:
            try:
                client.handle.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass


def connect(address, service_module, timeout_s=60.0):
    """A client of `service_module` at "host:port" over unframed binary Thrift, as Scoot's own
    clients connect (one-minute socket timeout). Returns (client, transport)."""
    host, port = address.rsplit(":", 1)
    sock = TSocket.TSocket(host, int(port))
    sock.setTimeout(timeout_s * 1000)
    transport = TTransport.TBufferedTransport(sock)
    transport.open()
    return service_module.Client(TBinaryProtocol.TBinaryProtocol(transport)), transport


class GoHTTPHandler(BaseHTTPRequestHandler):
    """Base for the fakes' HTTP endpoints; subclasses implement `route(path, query)`."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the http.server naming
        url = urlsplit(self.path)
        clean = _clean_path(url.path)
        if clean != url.path:
            location = clean + (f"?{url.query}" if url.query else "")
            self.respond(301, f'<a href="{html.escape(location)}">Moved Permanently</a>.\n\n',
                         "text/html; charset=utf-8", {"Location": location})
            return
        self.route(url.path, url.query)

    def route(self, path, query):
        raise NotImplementedError

    def respond(self, status, body, content_type, headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def go_error(self, status, message):
        """What Go's http.Error sends."""
        self.respond(status, message + "\n", "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


def _clean_path(path):
    """Go's ServeMux cleanPath: path.Clean, keeping a trailing slash."""
    parts = []
    for segment in path.split("/"):
        if segment == "..":
            if parts:
                parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    clean = "/" + "/".join(parts)
    return clean + "/" if path.endswith("/") and clean != "/" else clean


def start_http_server(handler_class, host, port):
    server = ThreadingHTTPServer((host, port), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"http-{server.server_port}", daemon=True).start()
    return server


def serve_until_terminated(announcement, *closables):
    """Prints `announcement` (once SIGTERM and SIGINT are handled, so that a caller may signal as
    soon as it has read it), blocks until one of them arrives, then closes `closables` in order."""
    stop = threading.Event()
    # A parent (a test runner) may have left these signals blocked; the mask is inherited.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(announcement, flush=True)
    while not stop.wait(0.5):
        pass
    for closable in closables:
        closable.close()
