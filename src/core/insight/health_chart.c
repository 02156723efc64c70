/* health_chart: the health bands as a bar chart — how many active clients are healthy, to watch, at
 * risk — for the charts endpoint and the HTML report. */
#include "render/charts.h"
#include "core/insight/health.h"

int health_chart_bands(db *d, const actor *who, int64_t as_of, strbuf *svg, err_t *e)
{
    int counts[HEALTH_NBANDS];
    int rc = health_band_counts(d, who, as_of, counts, e);
    if (rc < 0)
        return rc;
    static const char *const labels[HEALTH_NBANDS] = {"healthy", "watch", "at risk"};
    double values[HEALTH_NBANDS];
    for (int b = 0; b < HEALTH_NBANDS; b++)
        values[b] = counts[b];
    charts_bar(svg, "Active clients by health band", labels, values, HEALTH_NBANDS, CHART_NUMBER);
    return 0;
}
