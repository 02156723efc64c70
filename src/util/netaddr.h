/* netaddr: is an address one a webhook may reach? The check a server makes on the address it is about to
 * connect to (not on a name, which DNS can point anywhere), so a subscription cannot aim Rapport at its
 * own loopback services, the private network behind it, or a cloud's metadata service (169.254.169.254). */
#ifndef RAPPORT_NETADDR_H
#define RAPPORT_NETADDR_H
#include <stddef.h>
#include <sys/socket.h>

/* NULL when sa (AF_INET or AF_INET6) is a public unicast address; else what it is ("loopback",
 * "private", "link-local", "multicast", "unspecified", "reserved", or "not an internet address").
 * IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address they carry. */
const char *netaddr_refusal(const struct sockaddr *sa);
/* The address as text ("127.0.0.1", "::1") into buf; returns buf. */
const char *netaddr_text(const struct sockaddr *sa, char *buf, size_t n);

#endif
