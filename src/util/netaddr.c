/* netaddr: which addresses a webhook may reach (see netaddr.h). The ranges are those of RFC 6890's
 * special-purpose registries that are not globally reachable. */
#include "util/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *v4_refusal(uint32_t a)
{
    uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);
    if (a == 0)
        return "unspecified";
    if (b0 == 0)
        return "reserved"; /* "this network" */
    if (b0 == 127)
        return "loopback";
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168))
        return "private";
    if (b0 == 100 && (b1 & 0xc0) == 64)
        return "private"; /* shared address space (carrier-grade NAT) */
    if (b0 == 169 && b1 == 254)
        return "link-local"; /* cloud metadata services live here */
    if (b0 == 192 && b1 == 0 && (uint8_t)(a >> 8) == 0)
        return "reserved"; /* IETF protocol assignments */
    if (b0 == 198 && (b1 & 0xfe) == 18)
        return "reserved"; /* benchmarking */
    if ((b0 & 0xf0) == 224)
        return "multicast";
    if ((b0 & 0xf0) == 240)
        return "reserved"; /* and the broadcast address */
    return NULL;
}

static const char *v6_refusal(const uint8_t *b)
{
    static const uint8_t zero[16];
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!memcmp(b, zero, 16))
        return "unspecified";
    if (!memcmp(b, zero, 15) && b[15] == 1)
        return "loopback";
    if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12) || !memcmp(b, zero, 12)) /* and IPv4-compatible */
        return v4_refusal((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
    if (b[0] == 0xff)
        return "multicast";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return "link-local";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return "private"; /* deprecated site-local */
    if ((b[0] & 0xfe) == 0xfc)
        return "private"; /* unique local */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return "reserved"; /* documentation */
    return NULL;
}

const char *netaddr_refusal(const struct sockaddr *sa)
{
    if (sa && sa->sa_family == AF_INET)
        return v4_refusal(ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
    if (sa && sa->sa_family == AF_INET6)
        return v6_refusal(((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr);
    return "not an internet address";
}

const char *netaddr_text(const struct sockaddr *sa, char *buf, size_t n)
{
    const void *a = NULL;
    if (sa && sa->sa_family == AF_INET)
        a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
    else if (sa && sa->sa_family == AF_INET6)
        a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    if (!a || !inet_ntop(sa->sa_family, a, buf, (socklen_t)n))
        snprintf(buf, n, "?");
    return buf;
}
