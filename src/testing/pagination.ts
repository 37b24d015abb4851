const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export interface Page<T> {
  items: T[];
  /** A `Link` header value in GitHub's form, or undefined when everything fits on one page. */
  link: string | undefined;
}

/**
 * Cuts one page out of `items` the way GitHub does (`per_page` default 30, at most 100; `page`
 * from 1) and builds the `Link` header (rels in GitHub's order: prev, next, last, first) that
 * Octokit's paginate follows.
 */
export function pageOf<T>(items: T[], requestUrl: URL, maxPerPage = MAX_PER_PAGE): Page<T> {
  const perPage = clamp(
    positiveInt(requestUrl.searchParams.get("per_page")) ?? DEFAULT_PER_PAGE,
    1,
    maxPerPage,
  );
  const page = positiveInt(requestUrl.searchParams.get("page")) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);

  const urlFor = (n: number): string => {
    const url = new URL(requestUrl.href);
    url.searchParams.set("page", String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${urlFor(page - 1)}>; rel="prev"`);
  if (page < lastPage) {
    links.push(`<${urlFor(page + 1)}>; rel="next"`);
    links.push(`<${urlFor(lastPage)}>; rel="last"`);
  }
  if (page > 1) links.push(`<${urlFor(1)}>; rel="first"`);
  return { items: slice, link: links.length > 0 ? links.join(", ") : undefined };
}

function positiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 ? n : undefined;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
