"""What the journeys read from a page: colours as a person sees them, and text."""

from __future__ import annotations

from typing import Any, cast

# Resolves CSS colours the way they are painted: each colour (any CSS syntax, alpha
# included) is composited with a canvas over the opaque background behind the element.
_COLOUR_JS = """
(() => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const paint = (colours) => {
    ctx.globalCompositeOperation = "copy";
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 1, 1);
    ctx.globalCompositeOperation = "source-over";
    for (const c of colours) {
      ctx.fillStyle = "rgba(0, 0, 0, 0)";
      ctx.fillStyle = c;  // a colour the canvas cannot read stays transparent
      ctx.fillRect(0, 0, 1, 1);
    }
    return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
  };
  // The backgrounds behind an element, outermost first (html, body, ..., the element).
  const backgrounds = (el) => {
    const out = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e instanceof SVGElement && !(e instanceof SVGSVGElement)) continue;
      out.unshift(getComputedStyle(e).backgroundColor);
    }
    return out;
  };
  window.__plandocsColours = { paint, backgrounds };
})();
"""


def install(page: Any) -> None:
    if not page.evaluate("() => !!window.__plandocsColours"):
        page.evaluate(_COLOUR_JS)


def text_and_background(page: Any, selector: str) -> list[dict[str, Any]]:
    """For each element: its text, its painted text colour and the colour behind it."""
    install(page)
    return cast(
        list[dict[str, Any]],
        page.eval_on_selector_all(
            selector,
            """(els) => els.map((el) => {
            const { paint, backgrounds } = window.__plandocsColours;
            const behind = backgrounds(el);
            return {
              text: el.textContent.trim(),
              fg: paint([...behind, getComputedStyle(el).color]),
              bg: paint(behind),
            };
        })""",
        ),
    )


def svg_node_colours(page: Any, selector: str) -> list[dict[str, Any]]:
    """For each diagram node: its label, the painted fill of its label and of its shape."""
    install(page)
    return cast(
        list[dict[str, Any]],
        page.eval_on_selector_all(
            selector,
            """(nodes) => nodes.map((node) => {
            const { paint, backgrounds } = window.__plandocsColours;
            const behind = backgrounds(node.ownerSVGElement);
            const shape = node.querySelector("path, polygon, ellipse");
            const text = node.querySelector("text");
            const shapeFill = getComputedStyle(shape).fill;
            const fill = shapeFill === "none" ? behind : [...behind, shapeFill];
            return {
              label: text.textContent,
              fill: getComputedStyle(shape).fill,
              text_fill: getComputedStyle(text).fill,
              fg: paint([...fill, getComputedStyle(text).fill]),
              bg: paint(fill),
            };
        })""",
        ),
    )


def luminance(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[int], b: list[int]) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
