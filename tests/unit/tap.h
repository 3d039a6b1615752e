/* tap.h - a minimal TAP producer for unit tests run under prove.
 *
 *   ok(cond, "name", ...)   one test point
 *   is_str(a, b, "name")    string equality with diagnostics
 *   is_int(a, b, "name")    integer equality with diagnostics
 *   return tap_done();      prints the plan, exit status = failures != 0
 *
 * Named cases: one function a case, one list a file, and main() runs them
 * (all, or those named on the command line: `test_x case_a case_b`; `-l`
 * lists them).  Each case starts with a "# case NAME" line.
 *
 *   static void case_parse_ports(void) { ok(...); }
 *   static const struct tap_case cases[] = { TAP_CASE(case_parse_ports), { 0 } };
 *   int main(int argc, char **argv) { return tap_run(cases, argc, argv); }
 *
 * A file that needs set-up around its cases does it in main() around tap_run.
 */
#ifndef KSC_TAP_H
#define KSC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    printf("%sok %d - ", cond ? "" : "not ", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed at %s line %d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(a, b, ...)                                                                  \
    do {                                                                                   \
        const char *a_ = (a), *b_ = (b);                                                   \
        if (!ok(a_ && b_ ? strcmp(a_, b_) == 0 : a_ == b_, __VA_ARGS__))                   \
            printf("#   got:      '%s'\n#   expected: '%s'\n", a_ ? a_ : "(null)",         \
                   b_ ? b_ : "(null)");                                                    \
    } while (0)
#define is_int(a, b, ...)                                                                  \
    do {                                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                                \
        if (!ok(a_ == b_, __VA_ARGS__))                                                    \
            printf("#   got: %lld expected: %lld\n", a_, b_);                              \
    } while (0)

static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed != 0;
}

struct tap_case {
    const char *name;
    void (*fn)(void);
};
#define TAP_CASE(fn) { #fn, fn }

static inline int tap_run(const struct tap_case *cases, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "-l")) {
        for (const struct tap_case *c = cases; c->name; c++)
            printf("%s\n", c->name);
        return 0;
    }
    int ran = 0;
    for (const struct tap_case *c = cases; c->name; c++) {
        int want = argc <= 1;
        for (int i = 1; i < argc && !want; i++)
            want = !strcmp(argv[i], c->name);
        if (!want)
            continue;
        printf("# case %s\n", c->name);
        fflush(stdout);
        c->fn();
        ran++;
    }
    if (argc > 1 && ran != argc - 1) {
        printf("not ok %d - unknown case name on the command line\n", ++tap_n);
        tap_failed++;
    }
    return tap_done();
}

#endif
