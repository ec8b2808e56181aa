/* fuzz_lint.c — check and lint on arbitrary rule files: parse, check,
 * lower to IR, print it, and run every lint.  Whatever the scheme says,
 * the linter must finish, and every finding must point into the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = kh_fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    FILE *out = null ? null : stderr;
    kh_diags d;
    kh_diags_init(&d, NULL);
    kh_source src;
    if (kh_source_load(NULL, &d, path, &src)) {
        kh_scheme *s = kh_parse(NULL, &d, &src);
        KH_FUZZ_ASSERT(s != NULL);
        kh_check(NULL, &d, s);
        kh_ir *ir = kh_lower(NULL, &d, s);
        if (ir) {
            kh_ir_print(out, ir);
            kh_lint(NULL, &d, s, ir);
        }
        kh_fuzz_render(out, &d);
        kh_ir_free(ir);
        kh_scheme_free(s);
        kh_source_free(&src);
    }
    kh_diags_free(&d);
    if (null)
        fclose(null);
    close(fd);
    return 0;
}
