/* test_dec.c — exact decimals: parsing, formatting, rounding. */
#include <criterion/criterion.h>
#include <string.h>

#include "lang.h"

static kh_dec parse_ok(const char *s)
{
    kh_dec v = -12345;
    cr_assert(kh_dec_parse(s, strlen(s), &v), "should parse: %s", s);
    return v;
}

static bool parses(const char *s)
{
    kh_dec v;
    return kh_dec_parse(s, strlen(s), &v);
}

static void expect_format(kh_dec v, const char *want)
{
    char buf[64];
    int n = kh_dec_format(v, buf, sizeof buf);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, (int)strlen(want));
}

Test(dec, parses_integers_and_decimals)
{
    cr_assert_eq(parse_ok("0"), 0);
    cr_assert_eq(parse_ok("15"), 15000);
    cr_assert_eq(parse_ok("1.5"), 1500);
    cr_assert_eq(parse_ok("0.2"), 200);
    cr_assert_eq(parse_ok("0.001"), 1);
    cr_assert_eq(parse_ok("007.250"), 7250);
    cr_assert_eq(parse_ok("-0.25"), -250);
    cr_assert_eq(parse_ok("-0"), 0);
}

Test(dec, tenths_add_up_exactly)
{
    cr_assert_eq(parse_ok("0.1") + parse_ok("0.2"), parse_ok("0.3"));
}

Test(dec, just_below_threshold_stays_below)
{
    cr_assert_lt(parse_ok("94.999"), parse_ok("95"));
    cr_assert_eq(parse_ok("95") - parse_ok("94.999"), 1);
}

Test(dec, full_width_digits_and_point)
{
    cr_assert_eq(parse_ok("１２"), 12000);
    cr_assert_eq(parse_ok("１２．５"), 12500);
    cr_assert_eq(parse_ok("0．5"), 500);
    cr_assert_eq(parse_ok("３.２５"), 3250);
    cr_assert_eq(parse_ok("－３"), -3000);
}

Test(dec, rejects_more_than_three_decimals)
{
    cr_assert_not(parses("1.2345"));
    cr_assert_not(parses("0.0001"));
    cr_assert_not(parses("１．２３４５"));
    cr_assert(parses("1.234"));
}

Test(dec, rejects_malformed_text)
{
    cr_assert_not(parses(""));
    cr_assert_not(parses("-"));
    cr_assert_not(parses("."));
    cr_assert_not(parses(".5"));
    cr_assert_not(parses("5."));
    cr_assert_not(parses("1..2"));
    cr_assert_not(parses("--1"));
    cr_assert_not(parses("+1"));
    cr_assert_not(parses("1a"));
    cr_assert_not(parses(" 1"));
    cr_assert_not(parses("1,000"));
    cr_assert_not(parses("一"));
    cr_assert_not(parses("\xEF\xBC")); /* a cut full-width digit */
}

Test(dec, respects_length_argument)
{
    kh_dec v = 0;
    cr_assert(kh_dec_parse("12分", 2, &v));
    cr_assert_eq(v, 12000);
    cr_assert_not(kh_dec_parse("12分", 3, &v));
    cr_assert(kh_dec_parse("１２３", 6, &v));
    cr_assert_eq(v, 12000);
}

Test(dec, overflow_rejected)
{
    cr_assert_eq(parse_ok("4000000000000000"), KH_DEC_MAX);
    cr_assert_eq(parse_ok("-4000000000000000"), -KH_DEC_MAX);
    cr_assert_not(parses("4000000000000000.001"));
    cr_assert_not(parses("4000000000000001"));
    cr_assert_not(parses("9223372036854775807"));
    cr_assert_not(parses("99999999999999999999999999"));
}

Test(dec, format_is_shortest_exact)
{
    expect_format(1500, "1.5");
    expect_format(2000, "2");
    expect_format(-250, "-0.25");
    expect_format(0, "0");
    expect_format(1, "0.001");
    expect_format(-1, "-0.001");
    expect_format(10010, "10.01");
    expect_format(100000, "100");
    expect_format(KH_DEC_MAX, "4000000000000000");
    expect_format(INT64_MIN, "-9223372036854775.808");
}

Test(dec, format_truncates_like_snprintf)
{
    char buf[4];
    int n = kh_dec_format(-12500, buf, sizeof buf);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(buf, "-12");
}

Test(dec, format_zero_and_negatives)
{
    expect_format(0, "0");
    expect_format(-1000, "-1");
    expect_format(-10, "-0.01");
    expect_format(-999, "-0.999");
    expect_format(-1500, "-1.5");
    expect_format(-123456789, "-123456.789");
}

Test(dec, format_trims_trailing_zeros_of_the_fraction)
{
    expect_format(1100, "1.1");
    expect_format(1010, "1.01");
    expect_format(1001, "1.001");
    expect_format(100, "0.1");
    expect_format(98500, "98.5");
    expect_format(10000, "10");
    expect_format(-20, "-0.02");
}

Test(dec, format_extremes)
{
    expect_format(KH_DEC_MAX, "4000000000000000");
    expect_format(-KH_DEC_MAX, "-4000000000000000");
    expect_format(KH_DEC_MAX - 1, "3999999999999999.999");
    expect_format(-KH_DEC_MAX + 10, "-3999999999999999.99");
    expect_format(INT64_MAX, "9223372036854775.807");
}

/* Like snprintf: at most cap - 1 bytes and a NUL, nothing past it, and
 * the full length returned whatever cap is. */
Test(dec, format_small_caps_truncate_and_return_the_full_length)
{
    cr_assert_eq(kh_dec_format(-1250, NULL, 0), 5);
    cr_assert_eq(kh_dec_format(-KH_DEC_MAX, NULL, 0), 17);
    static const char *const want[] = {"", "-", "-1", "-1.", "-1.2", "-1.25", "-1.25"};
    for (size_t cap = 1; cap <= 7; cap++) {
        char buf[10];
        memset(buf, '#', sizeof buf);
        cr_assert_eq(kh_dec_format(-1250, buf, cap), 5, "cap %zu", cap);
        cr_assert_str_eq(buf, want[cap - 1], "cap %zu", cap);
        for (size_t i = strlen(want[cap - 1]) + 1; i < sizeof buf; i++)
            cr_assert_eq(buf[i], '#', "cap %zu wrote byte %zu", cap, i);
    }
    char one = '#';
    cr_assert_eq(kh_dec_format(0, &one, 1), 1);
    cr_assert_eq(one, '\0');
}

Test(dec, format_parse_round_trip)
{
    static const kh_dec vals[] = {0, 1, 999, 1000, 1001, -7, 123456789, -KH_DEC_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char buf[64];
        kh_dec_format(vals[i], buf, sizeof buf);
        cr_assert_eq(parse_ok(buf), vals[i], "round trip of %s", buf);
    }
}

Test(dec, mul_exact_and_rounded_half_away_from_zero)
{
    cr_assert_eq(kh_dec_mul(1500, 2500), 3750);
    cr_assert_eq(kh_dec_mul(10000, 200), 2000);      /* 10 × 20% as 0.2 */
    cr_assert_eq(kh_dec_mul(333, 500), 167);         /* 0.1665 → 0.167 */
    cr_assert_eq(kh_dec_mul(-333, 500), -167);
    cr_assert_eq(kh_dec_mul(333, -500), -167);
    cr_assert_eq(kh_dec_mul(-333, -500), 167);
    cr_assert_eq(kh_dec_mul(1, 500), 1);             /* 0.0005 → 0.001 */
    cr_assert_eq(kh_dec_mul(-1, 500), -1);
    cr_assert_eq(kh_dec_mul(1, 499), 0);             /* 0.000499 → 0 */
    cr_assert_eq(kh_dec_mul(-1, 499), 0);
    cr_assert_eq(kh_dec_mul(0, KH_DEC_MAX), 0);
}

Test(dec, mul_saturates_instead_of_wrapping)
{
    cr_assert_eq(kh_dec_mul(KH_DEC_MAX, 2000), KH_DEC_MAX);
    cr_assert_eq(kh_dec_mul(KH_DEC_MAX, -2000), -KH_DEC_MAX);
    cr_assert_eq(kh_dec_mul(KH_DEC_MAX, KH_DEC_MAX), KH_DEC_MAX);
    cr_assert_eq(kh_dec_mul(KH_DEC_MAX, 1000), KH_DEC_MAX);
}

Test(dec, div_rounds_half_away_from_zero)
{
    cr_assert_eq(kh_dec_div(1000, 3000), 333);
    cr_assert_eq(kh_dec_div(2000, 3000), 667);
    cr_assert_eq(kh_dec_div(-2000, 3000), -667);
    cr_assert_eq(kh_dec_div(2000, -3000), -667);
    cr_assert_eq(kh_dec_div(-2000, -3000), 667);
    cr_assert_eq(kh_dec_div(1, 2000), 1);            /* 0.0005 → 0.001 */
    cr_assert_eq(kh_dec_div(-1, 2000), -1);
    cr_assert_eq(kh_dec_div(9000, 2000), 4500);
    cr_assert_eq(kh_dec_div(85000, 100000), 850);    /* 85 of 100 = 0.85 */
}

Test(dec, div_by_zero_and_overflow)
{
    cr_assert_eq(kh_dec_div(5000, 0), 0);
    cr_assert_eq(kh_dec_div(KH_DEC_MAX, 1), KH_DEC_MAX);
    cr_assert_eq(kh_dec_div(-KH_DEC_MAX, 1), -KH_DEC_MAX);
    cr_assert_eq(kh_dec_div(KH_DEC_MAX, KH_DEC_MAX), 1000);
}
