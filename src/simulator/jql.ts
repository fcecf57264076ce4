/**
 * JQL subset used by sync clients: a real tokenizer, a recursive-descent parser and a compiler that
 * turns the AST into a predicate + sort over simulator issue views.
 *
 * Grammar (keywords and field names are case-insensitive):
 *   query   := [or] [ORDER BY sortItem ("," sortItem)*]
 *   or      := and (OR and)*                       -- also `||`
 *   and     := not (AND not)*                      -- also `&&`; AND binds tighter than OR
 *   not     := (NOT | "!") not | "(" or ")" | clause
 *   clause  := field op operand
 *   op      := = | != | > | >= | < | <= | ~ | !~ | IN | NOT IN | IS | IS NOT
 *   operand := value | "(" value ("," value)* ")" | fn "(" [value ("," value)*] ")" | EMPTY | NULL
 *   value   := bare word | "double quoted" | 'single quoted' | integer
 *
 * Fields: project, key/issuekey/id/issue, updated(/updatedDate), created(/createdDate), plus status,
 * statusCategory, priority, issuetype/type, assignee, reporter, labels (= / != / IN / NOT IN / IS
 * [NOT] EMPTY) and summary/text (~, !~).
 *
 * Date values: "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd" are read in the
 * USER's time zone at minute precision; an all-digit value is epoch milliseconds; relative periods
 * ("-5d", "-15m", "-2w", "-1h", "-4w 2d") and now()/startOfDay()/endOfDay() are relative to the clock.
 * Range operators compare the issue's exact instant with the literal's instant; `=` matches the
 * whole minute (or the exact millisecond for epoch values). The store caches the result of a
 * clock-dependent query for up to one second of simulator clock (so paging 200,000 issues with
 * `updated >= -30d` does not re-sort on every page).
 *
 * Ordering: updated, created, key/issuekey, id, project (rank is accepted as id order); default
 * direction ASC; at most 7 fields. With no ORDER BY the order is `created DESC`. A final `id`
 * tiebreak (ASC) is always appended so the order is total (keyset paging relies on that).
 */
export { JqlError } from './jqlError.ts';
export { tokenize } from './jqlTokens.ts';
export { parseJql, type JqlNode, type JqlOp, type JqlOperand, type JqlQuery, type JqlSortItem, type JqlValue } from './jqlParser.ts';
export { canonicalField } from './jqlClauses.ts';
export { compileJql, type AttrField, type CompiledJql, type IssueView, type JqlEnv, type SortField, type SortKey } from './jqlCompile.ts';
