#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so define the feature macros here:
   without them the wide API (cchar_t, setcchar, mvwadd_wch, ...) is not declared. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* C globals -> functions (Swift 6 rejects reading mutable C globals) */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *cn_stdin(void) { return stdin; }
static inline FILE *cn_stdout(void) { return stdout; }
/* newterm on the process's own stdin/stdout; NULL (instead of exit) when TERM is unusable */
static inline SCREEN *cn_newterm_std(const char *type) { return newterm(type, stdout, stdin); }
/* function-like macros */
static inline void cn_getmaxyx(const WINDOW *w, int *y, int *x) { *y = getmaxy(w); *x = getmaxx(w); }
static inline void cn_getbegyx(const WINDOW *w, int *y, int *x) { *y = getbegy(w); *x = getbegx(w); }
static inline attr_t cn_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline int cn_pair_number(attr_t a) { return PAIR_NUMBER(a); }
static inline int cn_wattron(WINDOW *w, attr_t a) { return wattr_on(w, a, NULL); }
static inline int cn_wattroff(WINDOW *w, attr_t a) { return wattr_off(w, a, NULL); }
static inline int cn_box(WINDOW *w) { return wborder(w, 0, 0, 0, 0, 0, 0, 0, 0); }
static inline int cn_set_escdelay(int ms) { return set_escdelay(ms); }
/* attributes */
static inline attr_t cn_a_normal(void)    { return A_NORMAL; }
static inline attr_t cn_a_bold(void)      { return A_BOLD; }
static inline attr_t cn_a_dim(void)       { return A_DIM; }
static inline attr_t cn_a_reverse(void)   { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_standout(void)  { return A_STANDOUT; }
static inline attr_t cn_a_italic(void)    { return A_ITALIC; }
static inline attr_t cn_a_attributes(void) { return A_ATTRIBUTES; }
static inline attr_t cn_a_color(void)     { return A_COLOR; }
/* key codes that are function-like macros */
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
/* ACS (chtype) and WACS (const cchar_t*): valid only AFTER initscr/newterm */
static inline chtype cn_acs_hline(void)    { return ACS_HLINE; }
static inline chtype cn_acs_vline(void)    { return ACS_VLINE; }
static inline chtype cn_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype cn_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype cn_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype cn_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline chtype cn_acs_ltee(void)     { return ACS_LTEE; }
static inline chtype cn_acs_rtee(void)     { return ACS_RTEE; }
static inline chtype cn_acs_ttee(void)     { return ACS_TTEE; }
static inline chtype cn_acs_btee(void)     { return ACS_BTEE; }
static inline chtype cn_acs_plus(void)     { return ACS_PLUS; }
static inline const cchar_t *cn_wacs_hline(void)    { return WACS_HLINE; }
static inline const cchar_t *cn_wacs_vline(void)    { return WACS_VLINE; }
static inline const cchar_t *cn_wacs_ulcorner(void) { return WACS_ULCORNER; }
static inline const cchar_t *cn_wacs_urcorner(void) { return WACS_URCORNER; }
static inline const cchar_t *cn_wacs_llcorner(void) { return WACS_LLCORNER; }
static inline const cchar_t *cn_wacs_lrcorner(void) { return WACS_LRCORNER; }
static inline int cn_box_set(WINDOW *w) { return wborder_set(w, WACS_VLINE, WACS_VLINE, WACS_HLINE, WACS_HLINE,
                                             WACS_ULCORNER, WACS_URCORNER, WACS_LLCORNER, WACS_LRCORNER); }
/* one wide char with attr + pair via setcchar */
static inline int cn_mvwadd_wchar(WINDOW *w, int y, int x, wchar_t ch, attr_t a, int pair) {
    wchar_t buf[2] = { ch, 0 }; cchar_t cc;
    if (setcchar(&cc, buf, a, (short)pair, NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}
/* one cell: a spacing char plus up to CCHARW_MAX-1 combining chars (len scalars, not
   NUL-terminated; extra scalars are dropped), with attr + pair (extended pairs via opts) */
static inline int cn_mvwadd_cell(WINDOW *w, int y, int x, const wchar_t *s, int len, attr_t a, int pair) {
    wchar_t buf[CCHARW_MAX + 1]; cchar_t cc; int n = len < CCHARW_MAX ? len : CCHARW_MAX; int i;
    for (i = 0; i < n; i++) buf[i] = s[i];
    buf[n] = 0;
    if (setcchar(&cc, buf, a, (short)(pair > 32767 ? 0 : pair), pair > 32767 ? &pair : NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}
/* read one cell back: text into out (capacity CCHARW_MAX+1), attributes and pair */
static inline int cn_mvwin_cell(WINDOW *w, int y, int x, wchar_t *out, attr_t *a, int *pair) {
    cchar_t cc; short p = 0; int ext = 0;
    if (mvwin_wch(w, y, x, &cc) == ERR) return ERR;
    if (getcchar(&cc, out, a, &p, &ext) == ERR) return ERR;
    *pair = ext != 0 ? ext : p;
    return OK;
}
/* read a row of text back (n cells at most; out must hold n+1 wide chars) */
static inline int cn_mvwinnwstr(WINDOW *w, int y, int x, wchar_t *out, int n) { return mvwinnwstr(w, y, x, out, n); }
static inline int cn_pair_content(int pair, int *fg, int *bg) { return extended_pair_content(pair, fg, bg); }
static inline int cn_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
#endif
