"""cmark's pathological inputs (its test/pathological_tests.py), and the autolinks' own (the last four), each one
post body: none may take long."""

PATHOLOGICAL = {
    "nested strong emph": "*a **a " * 65000 + "b" + " a** a*" * 65000,
    "many emph closers with no openers": "a_ " * 65000,
    "many emph openers with no closers": "_a " * 65000,
    "many link closers with no openers": "a]" * 65000,
    "many link openers with no closers": "[a" * 65000,
    "mismatched openers and closers": "*a_ " * 50000,
    "openers and closers multiple of 3": "a**b" + "c* " * 50000,
    "link openers and emph closers": "[ a_" * 50000,
    "pattern [ (]( repeated": "[ (](" * 80000,
    "pattern ![[]() repeated": "![[]()" * 160000,
    "nested brackets": "[" * 50000 + "a" + "]" * 50000,
    "nested block quotes": ">" * 50000 + "a",
    "deeply nested lists": "".join("  " * depth + "* a\n" for depth in range(1000)),
    "backticks": "".join("e" + "`" * n for n in range(1, 5000)),
    "unclosed links A": "[a](<b" * 30000,
    "unclosed links B": "[a](b" * 30000,
    "many table rows": "| a | b |\n| - | - |\n" + "| c | d\n" * 30000,
    "many references": "".join(f"[{n}]: /u{n}\n" for n in range(80000)) + "[1] [79999]\n",
    "schemes with no domain": "https://" * 100000,
    "at signs": "@" * 300000,
    "unmatched parentheses closing a URL": "http://a.b/" + "(" * 50000 + ")" * 100000,
    "entity-like ends of a URL": "http://a.b/" + "&a;" * 100000,
}
