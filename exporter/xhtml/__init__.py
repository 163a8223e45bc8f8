"""The XHTML renderer the HTML-based editions share: blocks and inlines as (X)HTML elements,
the poll as an SVG chart and a table, and the style sheet's roles as CSS."""
