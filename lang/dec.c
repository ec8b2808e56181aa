/* dec.c — exact decimals: scores, counts and amounts in integer thousandths.
 *
 * Parsing accepts the digits users type (ASCII and full-width ０-９), a
 * decimal point ('.' or '．') and at most three decimals.  Multiplication
 * and division round half away from zero to 0.001 and saturate at
 * ±KH_DEC_MAX instead of wrapping.
 */
#include "lang.h"

#include <string.h>

__extension__ typedef __int128 kh_dec_wide;

/* Read one digit at s[*i] (ASCII or full-width); -1 if there is none. */
static int kh_dec_digit(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*i < n && u[*i] >= '0' && u[*i] <= '9') {
        return u[(*i)++] - '0';
    }
    if (*i + 2 < n && u[*i] == 0xEF && u[*i + 1] == 0xBC &&
        u[*i + 2] >= 0x90 && u[*i + 2] <= 0x99) {
        int d = u[*i + 2] - 0x90;
        *i += 3;
        return d;
    }
    return -1;
}

/* Does s[*i] hold the 3-byte full-width character EF BC <last>? */
static bool kh_dec_fw(const char *s, size_t n, size_t i, unsigned char last)
{
    const unsigned char *u = (const unsigned char *)s;
    return i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == last;
}

/* Skip a decimal point ('.' or '．'); false if none. */
static bool kh_dec_point(const char *s, size_t n, size_t *i)
{
    if (*i < n && s[*i] == '.') {
        (*i)++;
        return true;
    }
    if (kh_dec_fw(s, n, *i, 0x8E)) {
        *i += 3;
        return true;
    }
    return false;
}

/* Skip a minus sign ('-' or '－'); false if none. */
static bool kh_dec_minus(const char *s, size_t n, size_t *i)
{
    if (*i < n && s[*i] == '-') {
        (*i)++;
        return true;
    }
    if (kh_dec_fw(s, n, *i, 0x8D)) {
        *i += 3;
        return true;
    }
    return false;
}

/* Integer digits: at least one, result ≤ KH_DEC_MAX / 1000. */
static bool kh_dec_int_part(const char *s, size_t n, size_t *i, kh_dec *v)
{
    int digits = 0, d;
    *v = 0;
    while ((d = kh_dec_digit(s, n, i)) >= 0) {
        if (*v > (KH_DEC_MAX / KH_DEC_ONE - d) / 10)
            return false;
        *v = *v * 10 + d;
        digits++;
    }
    return digits > 0;
}

/* Fraction digits after the point: one to three. */
static bool kh_dec_frac_part(const char *s, size_t n, size_t *i, kh_dec *v)
{
    int digits = 0, d;
    kh_dec scale = 100;
    *v = 0;
    while ((d = kh_dec_digit(s, n, i)) >= 0) {
        if (++digits > 3)
            return false;
        *v += d * scale;
        scale /= 10;
    }
    return digits > 0;
}

bool kh_dec_parse(const char *s, size_t n, kh_dec *out)
{
    size_t i = 0;
    kh_dec ip, fp = 0;
    if (!s)
        return false;
    bool neg = kh_dec_minus(s, n, &i);
    if (!kh_dec_int_part(s, n, &i, &ip))
        return false;
    if (kh_dec_point(s, n, &i) && !kh_dec_frac_part(s, n, &i, &fp))
        return false;
    if (i != n)
        return false;
    kh_dec v = ip * KH_DEC_ONE + fp;
    if (v > KH_DEC_MAX)
        return false;
    *out = neg ? -v : v;
    return true;
}

/* The text is built backwards from the end of a small buffer, then copied
 * out as snprintf would: at most cap − 1 bytes and a NUL when cap > 0;
 * the return value is the full length. */
int kh_dec_format(kh_dec v, char *buf, size_t cap)
{
    char tmp[32], *end = tmp + sizeof tmp, *p = end;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t ip = mag / 1000;
    unsigned fp = (unsigned)(mag % 1000);
    if (fp) {
        char frac[3] = { (char)('0' + fp / 100), (char)('0' + fp / 10 % 10), (char)('0' + fp % 10) };
        size_t digits = 3;
        while (frac[digits - 1] == '0')
            digits--;
        p -= digits;
        memcpy(p, frac, digits);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (v < 0)
        *--p = '-';
    size_t len = (size_t)(end - p);
    if (cap) {
        size_t k = len < cap ? len : cap - 1;
        memcpy(buf, p, k);
        buf[k] = '\0';
    }
    return (int)len;
}

/* q = num ÷ den rounded half away from zero, saturated to ±KH_DEC_MAX. */
static kh_dec kh_dec_round_div(kh_dec_wide num, kh_dec_wide den)
{
    bool neg = (num < 0) != (den < 0);
    kh_dec_wide an = num < 0 ? -num : num;
    kh_dec_wide ad = den < 0 ? -den : den;
    kh_dec_wide q = an / ad, r = an % ad;
    if (2 * r >= ad)
        q++;
    if (q > KH_DEC_MAX)
        q = KH_DEC_MAX;
    return (kh_dec)(neg ? -q : q);
}

kh_dec kh_dec_mul(kh_dec a, kh_dec b)
{
    return kh_dec_round_div((kh_dec_wide)a * b, KH_DEC_ONE);
}

kh_dec kh_dec_div(kh_dec a, kh_dec b)
{
    if (b == 0)
        return 0;
    return kh_dec_round_div((kh_dec_wide)a * KH_DEC_ONE, b);
}
