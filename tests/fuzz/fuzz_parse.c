/* fuzz_parse.c — the front end on arbitrary bytes: load a rule file
 * (refusing what is not UTF-8 text), lex, parse, check and print the tree.
 * Any input must give a scheme or diagnostics, never a crash, a hang or a
 * diagnostic pointing outside the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = kh_fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_source src;
    if (kh_source_load(NULL, &d, path, &src)) {
        kh_scheme *s = kh_parse(NULL, &d, &src);
        KH_FUZZ_ASSERT(s != NULL);
        kh_check(NULL, &d, s);
        if (null)
            kh_ast_print(null, s);
        kh_fuzz_render(null ? null : stderr, &d);
        kh_scheme_free(s);
        kh_source_free(&src);
    } else {
        KH_FUZZ_ASSERT(d.nerrors > 0);
        kh_fuzz_render(null ? null : stderr, &d);
    }
    kh_diags_free(&d);
    if (null)
        fclose(null);
    close(fd);
    return 0;
}
