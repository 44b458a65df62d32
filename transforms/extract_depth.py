"""Pages nested past libxml2's 256 levels: runs of identical empty wrappers shortened before trafilatura.

trafilatura's work grows with the depth of the tree under its paragraphs: its baseline, its
wild-text recovery and its readability port walk every paragraph's ancestors, the readability
port counts every div's descendants, jusText's paragraph maker joined the path of tags above each
paragraph. 450 two-word paragraphs under 2,000 `<div>`s opened one inside the other and nothing
else took 7 s; 1,000 of them 20 s, `extract.timeout_s` (hostile rounds 13 and 14, docs/reading.md).

Such a tree holds a run of wrappers: elements of the same tag and attributes, each the only child
of the one above, with no text between them. A run says nothing its first few elements do not
say, so `shorten_wrapper_runs` keeps `KEEP` of them (the first ones, and the last, whose children
are the content) and drops those between: the text, the tags and attributes above the content,
and its parent and grandparent (which trafilatura's readability port scores) are the pages'.

It is applied only to pages deeper than libxml2's default limit of 256 levels (`extract.load_page`
parses them again with `huge_tree`), so no page read without `huge_tree` changes: none of the
2,668 pages of the three extraction benchmark sets is deeper than 100 levels, and their longest
run is 12 elements.
"""

from __future__ import annotations

# Elements kept of a run: the deepest of them and its parent are the content's parent and
# grandparent, which the readability port scores; the benchmark pages' longest run is 12.
KEEP = 4


def _same(upper, lower) -> bool:
    """`lower` continues a run of wrappers at `upper`: `upper` holds only `lower` and no text, and
    both have the same tag and attributes."""
    return (
        len(upper) == 1
        and upper[0] is lower
        and not (upper.text or "").strip()
        and not (lower.tail or "").strip()
        and lower.tag == upper.tag
        and lower.attrib == upper.attrib
    )


def shorten_wrapper_runs(root, keep: int = KEEP) -> int:
    """Shorten every run of more than `keep` identical wrappers in `root`'s tree to `keep`
    elements (its first `keep - 1` and its last); the number of elements dropped. Linear: each
    element is looked at a bounded number of times, whatever the depth (an explicit stack)."""
    if keep < 2:
        raise ValueError("keep must be at least 2: the run's first element and its last")
    dropped = 0
    stack = [root]
    while stack:
        top = stack.pop()
        if not isinstance(top.tag, str):  # a comment or processing instruction
            continue
        # the run that starts at `top`, when `top` starts one (its parent does not continue it)
        parent = top.getparent()
        if parent is None or not _same(parent, top):
            run = [top]
            while len(run[-1]) == 1 and _same(run[-1], run[-1][0]):
                run.append(run[-1][0])
            if len(run) > keep:
                last, cut = run[-1], run[keep - 1]
                run[keep - 2].replace(cut, last)  # `last` moves up; the elements between go with `cut`
                dropped += len(run) - keep
        stack.extend(reversed(list(top)))
    return dropped
