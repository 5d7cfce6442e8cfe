"""The day's picture as PNG bytes (matplotlib, Agg; no pyplot, no global state)."""

from __future__ import annotations

import io

import numpy as np

from crypto_assets.report.figure_data import NO_PRICE, DayFigure

DPI = 80
SIZE = (12.5, 9.0)  # inches: 1000 x 720 pixels at DPI
GAP_COLOUR = "#d9d9d9"
COLOURS = 256


def render_png(data: DayFigure, replay: bool) -> bytes:
    """Mentions per hour, sentiment per hour and price change per hour of the top coins."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(3, 2, width_ratios=[7, 1], height_ratios=[3, 2.2, 2.4])
    ax_m = fig.add_subplot(grid[0, 0])
    ax_s = fig.add_subplot(grid[1, 0], sharex=ax_m)
    ax_p = fig.add_subplot(grid[2, 0], sharex=ax_m)
    side_m, side_s, side_p = (fig.add_subplot(grid[i, 1]) for i in range(3))
    for side in (side_m, side_p):
        side.axis("off")
    colours = [colormaps["tab10"](i % 10) for i in range(len(data.coins))]
    x = np.arange(24) + 0.5
    title = f"{data.day:%Y-%m-%d} (UTC): the top {len(data.coins)} coins by mentions"
    fig.suptitle(title + ("  ·  REPLAY (recorded data)" if replay else ""), fontsize=14)

    lines = []
    for coin, colour in zip(data.coins, colours, strict=True):
        (line,) = ax_m.plot(x, data.mentions[coin].to_numpy(), marker="o", ms=3, color=colour)
        lines.append(line)
    ax_m.set_ylabel("mentions per hour")
    if lines:
        side_m.legend(lines, data.coins, loc="upper left", fontsize=9, title="coin")
    else:
        ax_m.text(12, 0.5, "no coin mentioned in any stored window", ha="center")

    values = np.ma.masked_invalid(data.sentiment.T.to_numpy(dtype=float))
    cmap = colormaps["RdYlGn"].with_extremes(bad="white")
    rows = max(len(data.coins), 1)
    image = ax_s.imshow(
        values if len(data.coins) else np.full((1, 24), np.nan),
        aspect="auto",
        cmap=cmap,
        vmin=-1,
        vmax=1,
        extent=(0, 24, rows, 0),
        interpolation="nearest",
    )
    ax_s.set_yticks(np.arange(len(data.coins)) + 0.5, data.coins, fontsize=8)
    ax_s.set_ylabel("mean sentiment\n(VADER, white: no post)")
    fig.colorbar(image, cax=side_s.inset_axes((0.05, 0.05, 0.15, 0.9)), label="compound")
    side_s.axis("off")

    _price_panel(ax_p, side_p, data, colours, x)
    for ax in (ax_m, ax_s, ax_p):
        _shade_gaps(ax, data)
    ax_p.set_xlim(0, 24)
    ax_p.set_xticks(range(0, 25, 3), [f"{h:02d}:00" for h in range(0, 25, 3)])
    ax_p.set_xlabel(f"hour of {data.day:%Y-%m-%d}, UTC (grey: no stored window, a gap)")
    for ax in (ax_m, ax_s):
        ax.tick_params(labelbottom=False)
    return _small_png(fig)


def _small_png(fig) -> bytes:
    """The figure as a 256-colour PNG: about a third of the RGBA bytes, same picture to the eye
    (it lands in the event log, once per day)."""
    from PIL import Image

    rgba = io.BytesIO()
    fig.savefig(rgba, format="png", dpi=DPI)
    image = (
        Image.open(rgba).convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE)
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _price_panel(ax, side, data: DayFigure, colours: list, x: np.ndarray) -> None:
    unpriced = []
    for coin, colour in zip(data.coins, colours, strict=True):
        prices = data.price[coin].to_numpy(dtype=float)
        known = prices[~np.isnan(prices)]
        if not len(known):
            unpriced.append(coin)
            continue
        ax.plot(x, (prices / known[0] - 1) * 100, marker=".", color=colour, label=coin)
    ax.set_ylabel(f"price change, %\n({data.price_unit})")
    ax.axhline(0, color="black", lw=0.5)
    if len(unpriced) == len(data.coins):
        ax.text(12, 0, f"{NO_PRICE}: no window of this day has a price", ha="center", va="bottom")
    elif ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, ncols=5, loc="best")
    if unpriced:
        side.text(0, 1, f"{NO_PRICE}:\n" + "\n".join(unpriced), va="top", fontsize=9)


def _shade_gaps(ax, data: DayFigure) -> None:
    for hour, windows in enumerate(data.windows_per_hour):
        if windows == 0:
            ax.axvspan(hour, hour + 1, color=GAP_COLOUR, lw=0, zorder=0)
