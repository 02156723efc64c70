/* charts: small self-contained SVG charts (a title, axes, gridlines, labels; no fonts, scripts or links
 * to fetch), drawn from plain arrays so any report can reuse them. Every text is XML-escaped. */
#ifndef RAPPORT_CHARTS_H
#define RAPPORT_CHARTS_H
#include "util/strbuf.h"

/* How the y axis and the value labels print a value. */
typedef enum chart_fmt {
    CHART_NUMBER,  /* 12, 3.5 */
    CHART_PERCENT, /* a fraction 0..1 printed as 0%..100% (the axis then runs to 100%) */
    CHART_MONEY,   /* 1250.00 (values in units, not cents) */
} chart_fmt;

/* When the labels (or the values written above the bars and points) are too wide for their slots, every
 * k-th is written, counted back from the last, so none overlaps another; a value left out is still in
 * its bar's or point's tooltip. */

/* Vertical bars, one per label. */
void charts_bar(strbuf *svg, const char *title, const char *const *labels, const double *values, int n, chart_fmt fmt);
/* A line through the points; a NAN value leaves a gap (no data for that label). */
void charts_line(strbuf *svg, const char *title, const char *const *labels, const double *values, int n, chart_fmt fmt);

#endif
