"""Apache Thrift's Python TSSLSocket as the client of `serve --tls-addr`, with a client certificate.

  tls_check.py PORT CA CERT KEY    reads and changes the task throttle over TLS, then checks that a
                                   client without a certificate is refused
"""
import ssl
import sys

from check import check, check_equal, check_raises, finish
from scoot import ScootConsole
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSSLSocket, TTransport

PORT, CA, CERT, KEY = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


def connect(certfile=None, keyfile=None):
    sock = TSSLSocket.TSSLSocket(
        "127.0.0.1", PORT, cert_reqs=ssl.CERT_REQUIRED, ca_certs=CA, certfile=certfile, keyfile=keyfile,
        server_hostname="localhost")
    sock.setTimeout(10000)
    transport = TTransport.TBufferedTransport(sock)
    transport.open()
    return ScootConsole.Client(TBinaryProtocol.TBinaryProtocol(transport)), transport


client, transport = connect(CERT, KEY)
before = client.GetSchedulerStatus()
check("GetSchedulerStatus over TLS answers", before.maxTasks == -1, repr(before))
client.SetSchedulerStatus(5)
check_equal("SetSchedulerStatus over TLS changed the throttle", client.GetSchedulerStatus().maxTasks, 5)
client.SetSchedulerStatus(-1)
transport.close()


def anonymous_call():
    # TLS 1.3: the client's handshake completes before the server has checked its (missing)
    # certificate; the server's refusal arrives as an alert on the first read.
    anonymous, anonymous_transport = connect()
    try:
        return anonymous.SetSchedulerStatus(3)
    finally:
        anonymous_transport.close()


check_raises("a client without a certificate is refused", Exception, anonymous_call)
again, again_transport = connect(CERT, KEY)
check_equal("the refused client changed nothing", again.GetSchedulerStatus().maxTasks, -1)
again_transport.close()
finish()
