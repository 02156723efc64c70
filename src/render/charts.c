/* charts: SVG bar and line charts (see charts.h). Fixed 640×320 canvas; the y axis runs from 0 to a
 * round number at or above the largest value, with five gridlines. */
#include "render/charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 640
#define H 320
#define LEFT 64
#define RIGHT 16
#define TOP 44
#define BOTTOM 56
#define PLOT_W (W - LEFT - RIGHT)
#define PLOT_H (H - TOP - BOTTOM)
#define GRID 5

static void format(char *buf, size_t n, double v, chart_fmt fmt)
{
    if (fmt == CHART_PERCENT)
        snprintf(buf, n, "%.0f%%", v * 100);
    else if (fmt == CHART_MONEY)
        snprintf(buf, n, "%.2f", v);
    else if (v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.1f", v);
}

/* The smallest of 1, 2, 2.5, 5 × 10^k at or above max (1 when nothing is above 0). */
static double nice_max(double max, chart_fmt fmt)
{
    if (fmt == CHART_PERCENT)
        return max > 1 ? ceil(max) : 1;
    if (!(max > 0))
        return 1;
    double mag = pow(10, floor(log10(max)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * mag >= max)
            return steps[i] * mag;
    return 10 * mag;
}

/* The canvas, title, gridlines with their y labels and the axes; returns the top of the y axis. */
static double frame(strbuf *svg, const char *title, const double *values, int n, chart_fmt fmt)
{
    double max = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(values[i]) && values[i] > max)
            max = values[i];
    max = nice_max(max, fmt);
    strbuf_addf(svg,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "font-family=\"sans-serif\" font-size=\"11\" role=\"img\"><title>",
                W, H, W, H);
    strbuf_add_html(svg, title);
    strbuf_addf(svg, "</title><rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>", W, H);
    strbuf_addf(svg, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#222222\">", LEFT);
    strbuf_add_html(svg, title);
    strbuf_adds(svg, "</text>");
    for (int g = 0; g <= GRID; g++) {
        double v = max * g / GRID, y = TOP + PLOT_H - (double)PLOT_H * g / GRID;
        char label[32];
        format(label, sizeof label, v, fmt);
        strbuf_addf(svg,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555555\">%s</text>",
                    LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, label);
    }
    strbuf_addf(svg,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>"
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>",
                LEFT, TOP, LEFT, TOP + PLOT_H, LEFT, TOP + PLOT_H, W - RIGHT, TOP + PLOT_H);
    if (n == 0)
        strbuf_addf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888888\">no data</text>",
                    LEFT + PLOT_W / 2, TOP + PLOT_H / 2);
    return max;
}

/* Labels are thinned rather than drawn over each other: at font-size 11 a character of the sans-serif
 * font is at most about 7 px wide (digits and '-' about 6), so a label of n bytes takes n * 7 px plus
 * 6 between labels. Every step-th label is written, counted from the last, so the newest always shows. */
static int label_step(size_t longest, double slot)
{
    double need = (double)longest * 7 + 6;
    return slot > 0 && need > slot ? (int)ceil(need / slot) : 1;
}

static int x_step(const char *const *labels, int n, double slot)
{
    size_t longest = 0;
    for (int i = 0; i < n; i++)
        if (strlen(labels[i]) > longest)
            longest = strlen(labels[i]);
    return label_step(longest, slot);
}

static int value_step(const double *values, int n, double slot, chart_fmt fmt)
{
    size_t longest = 0;
    for (int i = 0; i < n; i++) {
        char label[32];
        format(label, sizeof label, isnan(values[i]) ? 0 : values[i], fmt);
        if (strlen(label) > longest)
            longest = strlen(label);
    }
    return label_step(longest, slot);
}

static int shown(int i, int n, int step)
{
    return (n - 1 - i) % step == 0;
}

static void x_label(strbuf *svg, double x, const char *label)
{
    strbuf_addf(svg, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">", x, TOP + PLOT_H + 16);
    strbuf_add_html(svg, label);
    strbuf_adds(svg, "</text>");
}

void charts_bar(strbuf *svg, const char *title, const char *const *labels, const double *values, int n, chart_fmt fmt)
{
    double max = frame(svg, title, values, n, fmt), slot = n ? (double)PLOT_W / n : 0;
    int xs = x_step(labels, n, slot), vs = value_step(values, n, slot, fmt);
    for (int i = 0; i < n; i++) {
        double v = isnan(values[i]) || values[i] < 0 ? 0 : values[i];
        double h = PLOT_H * v / max, x = LEFT + slot * i + slot * 0.15;
        char label[32];
        format(label, sizeof label, v, fmt);
        strbuf_addf(svg,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78b5\"><title>",
                    x, TOP + PLOT_H - h, slot * 0.7, h);
        strbuf_add_html(svg, labels[i]);
        strbuf_addf(svg, ": %s</title></rect>", label); /* every bar's value is in its title, shown or not */
        if (shown(i, n, vs))
            strbuf_addf(svg, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#222222\">%s</text>",
                        x + slot * 0.35, TOP + PLOT_H - h - 4, label);
        if (shown(i, n, xs))
            x_label(svg, x + slot * 0.35, labels[i]);
    }
    strbuf_adds(svg, "</svg>\n");
}

void charts_line(strbuf *svg, const char *title, const char *const *labels, const double *values, int n, chart_fmt fmt)
{
    double max = frame(svg, title, values, n, fmt), slot = n ? (double)PLOT_W / n : 0;
    int open = 0;
    for (int i = 0; i < n; i++) { /* one polyline per run of points with data */
        double x = LEFT + slot * (i + 0.5);
        if (isnan(values[i])) {
            if (open)
                strbuf_adds(svg, "\"/>");
            open = 0;
            continue;
        }
        strbuf_adds(svg, open ? " " : "<polyline fill=\"none\" stroke=\"#4a78b5\" stroke-width=\"2\" points=\"");
        strbuf_addf(svg, "%.1f,%.1f", x, TOP + PLOT_H - PLOT_H * values[i] / max);
        open = 1;
    }
    if (open)
        strbuf_adds(svg, "\"/>");
    int xs = x_step(labels, n, slot), vs = value_step(values, n, slot, fmt);
    for (int i = 0; i < n; i++) {
        double x = LEFT + slot * (i + 0.5);
        char label[32] = "no data";
        if (!isnan(values[i])) {
            double y = TOP + PLOT_H - PLOT_H * values[i] / max;
            format(label, sizeof label, values[i], fmt);
            strbuf_addf(svg, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#4a78b5\"><title>", x, y);
            strbuf_add_html(svg, labels[i]);
            strbuf_addf(svg, ": %s</title></circle>", label);
            if (shown(i, n, vs))
                strbuf_addf(svg, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#222222\">%s</text>",
                            x, y - 8, label);
        }
        if (shown(i, n, xs))
            x_label(svg, x, labels[i]);
    }
    strbuf_adds(svg, "</svg>\n");
}
