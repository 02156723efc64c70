#!/usr/bin/env python3
"""health_ceiling: how far could any weighting of what the health score measures go on these stories?

Reads the weekly looks `rapport calibrate --looks FILE` writes (one row per client and look inside its
outcome window) and fits, *with the outcomes known* (which no real score can), the weights of a sum of
the evidence each look carries: the chance of the client's slow replies and of its few messages (the
behaviour tests, recomputed from the counts), each factor's fraction and flag, silence, and the same
behaviour evidence four weeks before (a trend). A client is flagged when the sum at any of its watched
looks (for a leaver, only looks 30 days or more before it left) exceeds the threshold that flags at most
10 % of stayers. The weights are fitted by coordinate search on the share of leavers flagged, in the
same sample: an optimistic bound for a rule of this shape, not a rule to ship.

Extra looks files measured with another behaviour window (behaviour_window_days) add their behaviour
evidence as more features: `health_ceiling.py looks.csv 30:looks30.csv 120:looks120.csv`.

Prints one line of JSON: {"leavers_share_flagged_early", "stayers_share_flagged", "weights"}.
docs/health.md ("Calibration") reports what it found.
"""
import collections
import csv
import json
import math
import sys

WINDOW_DAYS = 210  # the interactions the score reads before each look
MAIN_WINDOW = 60   # behaviour_window_days of the main file (the default)
EARLY_DAYS = 30
STAYERS_FLAGGED = 0.10
TREND_DAYS = 28
GRID = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8]


def binomial_at_least(k, n, p):
    if k <= 0:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def poisson_at_most(k, lam):
    total, pmf = 0.0, math.exp(-lam)
    for i in range(k + 1):
        total += pmf
        pmf *= lam / (i + 1)
    return min(1.0, total)


def usually_slower(n):
    """the chance a reply like n before outdoes their 90th percentile (nearest rank), as the score has it"""
    rank = (9 * n + 9) // 10
    return (n + 1 - rank) / (n + 1)


def surprise(p):
    return min(6.0, -math.log10(max(p, 1e-12)))


def behaviour(row, window):
    """-log10 of the chance of so many slow replies, and of so few messages, in the window"""
    replies, slow, before = int(row['test_replies']), int(row['test_slow']), int(row['before_replies'])
    latency = binomial_at_least(slow, replies, usually_slower(before)) if before >= 5 and replies else 1.0
    inbound, inbound_before = int(row['test_inbound']), int(row['before_inbound'])
    expected = inbound_before * window / (WINDOW_DAYS - window)
    frequency = poisson_at_most(inbound, expected) if expected >= 1 and inbound < expected else 1.0
    return [surprise(latency), surprise(frequency)]


def factors(row):
    current = lambda k: float(row[k + '_fraction']) if row[k + '_data'] == 'current' else 0.0
    return [float(row['cadence_lapse_fraction']), float(row['cadence_lapse_flag']),
            current('complaints_sla'), float(row['complaints_sla_flag']),
            current('overdue_deliverables'), float(row['overdue_deliverables_flag']),
            current('satisfaction'), float(row['satisfaction_flag']),
            1.0 if row['interaction_frequency_data'] == 'stale' else 0.0]


FACTOR_NAMES = ['cadence', 'cadence_flag', 'complaints', 'complaints_flag', 'deliverables', 'deliverables_flag',
                'satisfaction', 'satisfaction_flag', 'silence']


def load(path):
    looks = collections.defaultdict(dict)
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            looks[row['client_id']][int(row['days_before'])] = row
    return looks


def main(argv):
    main_looks = load(argv[1])
    windows = [(MAIN_WINDOW, main_looks)] + [(int(w), load(p)) for w, p in (a.split(':', 1) for a in argv[2:])]
    names = []
    for w, _ in windows:
        names += ['slow_replies_%d' % w, 'few_messages_%d' % w]
    names += ['slow_replies_%d_4_weeks_before' % MAIN_WINDOW, 'few_messages_%d_4_weeks_before' % MAIN_WINDOW]
    names += FACTOR_NAMES
    clients = []  # (left, [features of each watched look])
    for cid, looks in main_looks.items():
        left = next(iter(looks.values()))['outcome'] == 'left'
        vectors = []
        for days, row in looks.items():
            if left and days < EARLY_DAYS:
                continue
            v = []
            for w, other in windows:
                r = other.get(cid, {}).get(days)
                v += behaviour(r, w) if r else [0.0, 0.0]
            before = looks.get(days + TREND_DAYS)
            v += behaviour(before, MAIN_WINDOW) if before else [0.0, 0.0]
            vectors.append(v + factors(row))
        if vectors:
            clients.append((left, vectors))

    def flagged(weights):
        leavers, stayers = [], []
        for left, vectors in clients:
            top = max(sum(w * x for w, x in zip(weights, v)) for v in vectors)
            (leavers if left else stayers).append(top)
        stayers.sort()
        threshold = stayers[int((1 - STAYERS_FLAGGED) * len(stayers))] if stayers else 0
        return (sum(x > threshold for x in leavers) / max(1, len(leavers)),
                sum(x > threshold for x in stayers) / max(1, len(stayers)))

    weights = [1.0] * len(names)
    best = flagged(weights)
    for _ in range(3):
        improved = False
        for i in range(len(names)):
            for g in GRID:
                trial = weights[:]
                trial[i] = g
                got = flagged(trial)
                if got[0] > best[0]:
                    best, weights, improved = got, trial, True
        if not improved:
            break
    print(json.dumps({'leavers_share_flagged_early': round(best[0], 4), 'stayers_share_flagged': round(best[1], 4),
                      'weights': dict(zip(names, weights))}))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit('usage: health_ceiling.py LOOKS.csv [WINDOW:LOOKS.csv ...]')
    main(sys.argv)
