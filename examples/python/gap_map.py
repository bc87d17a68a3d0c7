#!/usr/bin/env python3
"""Gap-analysis map for Ottawa from fictional sample data.

    python examples/python/gap_map.py OUT_DIR [--records 5000] [--seed 2026] [--k 5]

Loads the embedded sample directory, generates a deterministic, fictional demand set (unmet
needs and referrals; area keys only, never residents' points), runs the gap analysis and a
food coverage scan, and writes to OUT_DIR:

* ``gap_cells.csv`` / ``gap_cells.geojson``: one row per shown area × need × population
  (header: ``passerelle.gaps.GAP_CSV_HEADER``); cells with fewer than k records are left out;
* ``coverage_food.csv`` / ``coverage_food.geojson``: 2 km grid, distance to the nearest
  in-person food service;
* ``gap_map.png``: the grid coloured by that distance, named areas and 1 km cells as circles
  sized by demand and coloured by the share of requests left unmet.

Needs pandas and matplotlib (Agg backend: no display needed).
"""

from __future__ import annotations

import argparse
import pathlib
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

import passerelle as p  # noqa: E402
from passerelle import gaps  # noqa: E402

CELL_KM = 2.0
FAR_KM = 25.0  # colour scale cap (farther cells share the last colour)


def run(out: pathlib.Path, records: int, seed: int, k: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    nav = p.Navigator.sample()
    unmet, referrals, _points = gaps.sample_demand(records, seed)  # points stay in memory only
    report = gaps.analyze_gaps(nav, unmet, referrals=referrals, min_records=k)
    cells = gaps.gap_frame(report)
    (out / "gap_cells.csv").write_text(p.gap_cells_csv(report.cells))
    (out / "gap_cells.geojson").write_text(p.gap_cells_geojson(report.cells))

    coverage = nav.coverage_grid(gaps.OTTAWA_BBOX, CELL_KM, ["food"])
    (out / "coverage_food.csv").write_text(p.coverage_csv(coverage))
    (out / "coverage_food.geojson").write_text(p.coverage_geojson(coverage))

    draw(out / "gap_map.png", cells, gaps.coverage_frame(coverage), report, k, len(unmet) + len(referrals))
    return {"cells": len(cells), "suppressed_records": report.suppressed_records}


def draw(path, cells, cover, report, k, n_records):
    fig, ax = plt.subplots(figsize=(11, 7.4), dpi=110)
    # 1. coverage grid: distance to the nearest in-person food service
    dist = cover["nearest_m"].astype("float64").to_numpy() / 1000.0
    access = LinearSegmentedColormap.from_list(
        "access", ["#f7fbf2", "#c9e4b4", "#f3d38a", "#e08a3c", "#a8501a"])
    half_lat = CELL_KM / 2 / 111.2
    for lat, lon, d in zip(cover["centroid_lat"], cover["centroid_lon"], dist):
        half_lon = half_lat / np.cos(np.radians(lat))
        if np.isnan(d):  # no in-person food service serves this cell at all
            patch: dict[str, Any] = dict(facecolor="#e6e6e6", edgecolor="#cccccc", hatch="...", linewidth=0)
        else:
            patch = dict(facecolor=access(min(d, FAR_KM) / FAR_KM), edgecolor="none")
        ax.add_patch(Rectangle((lon - half_lon, lat - half_lat), 2 * half_lon, 2 * half_lat,
                               zorder=1, **patch))
    sm = plt.cm.ScalarMappable(cmap=access, norm=plt.Normalize(0, FAR_KM))
    cb = fig.colorbar(sm, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(f"km to nearest in-person food service ({CELL_KM:g} km grid; ≥ {FAR_KM:g} same colour)")

    # 2. demand per area (shown cells only, every need and population together)
    shown = cells[~cells["suppressed"].astype(bool)].dropna(subset=["centroid_lat"])
    per_area = shown.groupby("area").agg(
        lat=("centroid_lat", "first"), lon=("centroid_lon", "first"),
        demand=("demand", "sum"), met=("met", "sum"), unmet=("unmet", "sum"),
    ).reset_index()
    per_area["share"] = per_area["unmet"] / (per_area["met"] + per_area["unmet"]).replace(0, np.nan)
    reds = plt.cm.RdPu
    named = per_area[per_area["area"].str.startswith("area:") & (per_area["area"] != "area:city of ottawa")]
    grid = per_area[per_area["area"].str.startswith("grid:")]
    for frame, marker, edge in ((grid, "s", "#555555"), (named, "o", "black")):
        if frame.empty:
            continue
        ax.scatter(frame["lon"], frame["lat"], s=20 + frame["demand"].astype(float) * 2.2,
                   c=frame["share"].astype(float), cmap=reds, vmin=0, vmax=1, marker=marker,
                   edgecolors=edge, linewidths=0.8, alpha=0.85, zorder=3)
    for r in named.sort_values("demand", ascending=False).head(8).itertuples():
        ax.annotate(r.area.removeprefix("area:").title(), (r.lon, r.lat), xytext=(6, 6),
                    textcoords="offset points", fontsize=8, zorder=4,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7))
    cb2 = fig.colorbar(plt.cm.ScalarMappable(cmap=reds, norm=plt.Normalize(0, 1)), ax=ax,
                       orientation="horizontal", fraction=0.045, pad=0.09, aspect=40)
    cb2.set_label("share of resolved requests left unmet (circles and squares)")

    handles = [
        Line2D([], [], marker="o", ls="", mfc="#c51b8a", mec="black", ms=9,
               label="named area (size = demand)"),
        Line2D([], [], marker="s", ls="", mfc="#c51b8a", mec="#555555", ms=6,
               label="1 km grid cell (size = demand)"),
        Patch(facecolor="#e6e6e6", edgecolor="#aaaaaa", hatch="...",
              label="no in-person food service serves this cell"),
        Patch(facecolor="white", edgecolor="#999999",
              label=f"area cells with < {k} records not shown ({report.suppressed_records or f'< {k}'} records)"),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9)
    b = gaps.OTTAWA_BBOX
    ax.set_xlim(b.west, b.east)
    ax.set_ylim(b.south, b.north)
    ax.set_aspect(1 / np.cos(np.radians(45.35)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Where needs go unmet in Ottawa: demand and access to food services\n"
                 f"{n_records:,} fictional requests, k = {k}", fontsize=12)
    fig.text(0.01, 0.01, "Fictional sample data (passerelle sample directory and generated "
             "requests): not real services or residents. Areas and grid cells only, no "
             "resident locations.", fontsize=7.5, color="#444444")
    fig.tight_layout(rect=(0, 0.025, 1, 1))
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=pathlib.Path)
    ap.add_argument("--records", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--k", type=int, default=5)
    a = ap.parse_args(argv)
    info = run(a.out_dir, a.records, a.seed, a.k)
    print(f"wrote {a.out_dir}/gap_cells.csv ({info['cells']} cells), gap_map.png, coverage_food.csv")


if __name__ == "__main__":
    main()
