/*
 * UTF-8 checks for what leaves a plugin as text (labels, emitted strings, parameters) and a safe way to
 * show such bytes in an error message. Plain C: nothing here touches Lua or can raise.
 */
#include "host.h"

/* Length of the valid UTF-8 sequence at p[0..n) (n > 0), or 0 when it is not valid (Unicode table 3-7). */
static size_t sequence_length(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    if (c < 0x80) return 1;
    size_t tail;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) tail = 1;
    else if (c == 0xE0) { tail = 2; lo = 0xA0; }
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) tail = 2;
    else if (c == 0xED) { tail = 2; hi = 0x9F; } /* no surrogates */
    else if (c == 0xF0) { tail = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) tail = 3;
    else if (c == 0xF4) { tail = 3; hi = 0x8F; } /* at most U+10FFFF */
    else return 0;
    if (n - 1 < tail || p[1] < lo || p[1] > hi) return 0;
    for (size_t k = 2; k <= tail; k++)
        if ((p[k] & 0xC0) != 0x80) return 0;
    return tail + 1;
}

int sw_utf8_valid(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = sequence_length(p + i, len - i);
        if (n == 0) return 0;
        i += n;
    }
    return 1;
}

size_t sw_show_bytes(const char *s, size_t len, char *out) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    out[o++] = '"';
    while (i < len && i < 60) {
        unsigned c = p[i];
        size_t n = sequence_length(p + i, len - i);
        if (n > 1) {
            for (size_t k = 0; k < n; k++) out[o++] = (char)p[i + k];
            i += n;
            continue;
        }
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c >= 0x20 && c < 0x7F) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
        i++;
    }
    out[o++] = '"';
    if (i < len) {
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o] = 0;
    return o;
}
