package fetch

import (
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"sync/atomic"
)

// meter counts the bytes one fetch reads from its connections. net/http
// decompresses bodies before the caller sees them, so what was sent on the
// wire is only visible below it, on the connection.
type meter struct{ n atomic.Int64 }

// attach makes m the owner of the connection a request got. An HTTP/1.1
// connection carries one request at a time, and its response is read after
// the request got it and before it is released, so the owner at the time of
// a read is the fetch the bytes belong to.
func (m *meter) attach(info httptrace.GotConnInfo) {
	c := info.Conn
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if mc, ok := c.(*meteredConn); ok {
		mc.owner.Store(m)
	}
}

// meteredConn adds what it reads to its current owner's meter.
type meteredConn struct {
	net.Conn
	owner atomic.Pointer[meter]
}

func (c *meteredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if m := c.owner.Load(); m != nil && n > 0 {
		m.n.Add(int64(n))
	}
	return n, err
}
