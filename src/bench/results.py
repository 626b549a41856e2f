"""The benchmark scripts' tables: the key=value fields of the load generator's RESULT lines (and of
the scripts' own lines), grouped by run settings, and medians over the repetitions. The scripts'
embedded Python imports it; lib.sh puts this directory on PYTHONPATH."""
import collections
import statistics


def rows(path, kind='RESULT'):
    """The fields of each line of `path` whose first word is `kind`."""
    with open(path) as f:
        return [dict(kv.split('=', 1) for kv in words[1:] if '=' in kv)
                for words in map(str.split, f) if words[:1] == [kind]]


def by(rows, *keys):
    """The rows grouped by their values of `keys` (whole numbers as ints); with one key, by its value alone."""
    groups = collections.defaultdict(list)
    for r in rows:
        values = tuple(int(r[k]) if r[k].isdigit() else r[k] for k in keys)
        groups[values[0] if len(keys) == 1 else values].append(r)
    return groups


def median(rows, key):
    return statistics.median(float(r[key]) for r in rows)


def median_run(rows, key='total/s'):
    """The run whose `key` is the median (the upper one of an even number), to show its latencies."""
    return sorted(rows, key=lambda r: float(r[key]))[len(rows) // 2]


def total(rows, key):
    return sum(int(r[key]) for r in rows)
