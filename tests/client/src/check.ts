// A small integrator's program on the client generated from docs/openapi.json: it compiles with --strict only if the
// document says what may be null, and it checks at run time that the API's answers are what the types promise.
// Run by tests/Daxdi.Tests/Platform/TypeScriptClientTests.cs against a live API (DAXDI_URL, DAXDI_ADMIN_KEY).
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/daxdi.js";

type PublicArticle = components["schemas"]["PublicArticle"];
type Problem = components["schemas"]["ProblemResponse"];

const baseUrl = required("DAXDI_URL");
const adminKey = required("DAXDI_ADMIN_KEY");
const site = process.env.DAXDI_SITE ?? "daxdi";

const api = createClient<paths>({ baseUrl });
const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminKey}` } });
let checks = 0;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Set ${name}.`);
  }
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  checks++;
  if (!condition) {
    throw new Error(`Check failed: ${what}`);
  }
}

function isProblem(value: Problem, status: number, code: string): void {
  check(value.status === status, `problem status ${value.status} is ${status}`);
  check(value.code === code, `problem code ${value.code} is ${code}`);
  check(value.type === `urn:daxdi:problem:${code}`, "problem type is the code's URN");
  check(value.traceId.length > 0, "problem has a traceId");
}

/** What a frontend does with an article: every nullable part is handled, as the types demand. */
function render(article: PublicArticle): string {
  const image = article.featuredImage ? `<img src="${article.featuredImage.url}" alt="${article.featuredImage.alt ?? ""}">` : "";
  const section = article.section?.name ?? "no section";
  const byline = article.authors.map((a) => a.name).join(", ");
  const source = article.source ? ` (source: ${article.source.name})` : "";
  const title = article.seo.metaTitle ?? article.title;
  return `${title} [${section}] ${byline}${source} ${image}${article.html.length}`;
}

async function publicReads(): Promise<void> {
  const list = await api.GET("/api/v1/sites/{site}/articles", { params: { path: { site }, query: { limit: 100 } } });
  check(list.response.status === 200 && list.data !== undefined, `list answered ${list.response.status}`);
  check(list.response.headers.get("ETag") !== null, "the list has an ETag");
  check(list.data.items.length > 0, "the demo site has published articles");

  for (const item of list.data.items) {
    check(typeof item.slug === "string", "a list item has a slug");
    const read = await api.GET("/api/v1/sites/{site}/articles/{slug}", { params: { path: { site, slug: item.slug } } });
    check(read.data !== undefined, `article ${item.slug} answered ${read.response.status}`);
    check(read.data.slug === item.slug, "the article is the one asked for");
    check(read.data.featuredImage === null || typeof read.data.featuredImage.url === "string", "featuredImage is null or has a url");
    check(read.data.section === null || typeof read.data.section.slug === "string", "section is null or has a slug");
    check(read.data.source === null || typeof read.data.source.name === "string", "source is null or has a name");
    check(typeof read.data.seo === "object" && read.data.seo !== null, "seo is always an object");
    check(render(read.data).length > 0, "the article renders");

    const recommendations = await api.GET("/api/v1/sites/{site}/articles/{slug}/recommendations", {
      params: { path: { site, slug: item.slug }, query: { limit: 3 } },
    });
    check(recommendations.data !== undefined && recommendations.data.items.length <= 3, "recommendations honour limit");
    for (const picked of recommendations.data.items) {
      check(picked.reason === "editors" || picked.reason === "related", "a recommendation says why");
    }
  }

  const narrowed = await api.GET("/api/v1/sites/{site}/articles", {
    params: { path: { site }, query: { fields: "slug,title", limit: 2 } },
  });
  check(narrowed.data !== undefined, "fields= answered");
  for (const item of narrowed.data.items) {
    check(Object.keys(item).sort().join(",") === "slug,title", `fields=slug,title gives just those: ${Object.keys(item).join(",")}`);
  }

  const tags = await api.GET("/api/v1/sites/{site}/tags", { params: { path: { site } } });
  check(tags.data !== undefined && tags.data.items.every((t) => t.articleCount >= 0), "tags carry counts");
  const etag = tags.response.headers.get("ETag");
  check(etag !== null, "the tag list has an ETag");
  const again = await api.GET("/api/v1/sites/{site}/tags", { params: { path: { site }, header: { "If-None-Match": etag } } });
  check(again.response.status === 304, `If-None-Match answers 304, not ${again.response.status}`);

  const missing = await api.GET("/api/v1/sites/{site}/articles/{slug}", { params: { path: { site, slug: "no-such-article" } } });
  check(missing.response.status === 404 && missing.error !== undefined, "a missing article is 404");
  isProblem(missing.error, 404, "article.not_found");
}

async function adminCalls(): Promise<void> {
  const sites = await admin.GET("/api/v1/admin/sites", { params: { query: { limit: 100 } } });
  check(sites.data !== undefined, `sites answered ${sites.response.status}`);
  check(sites.data.items.some((s) => s.key === site), `site ${site} is listed`);

  const created = await admin.POST("/api/v1/admin/sites/{site}/articles", {
    params: { path: { site } },
    body: {
      title: "Typed client checks in",
      body: "The **generated** client compiles with --strict.",
      bodyFormat: "markdown",
      featuredImage: { url: "https://cdn.daxdi.example/images/typed.jpg" },
    },
  });
  check(created.response.status === 201 && created.data !== undefined, `create answered ${created.response.status}`);
  check(created.response.headers.get("Location") === `/api/v1/admin/articles/${created.data.id}`, "Location names the draft");
  check(created.response.headers.get("ETag") === `"${created.data.version}"`, "ETag is the version");
  check(created.data.status === "draft" && created.data.featuredImage?.alt === null, "a draft with the image as sent");

  const published = await admin.POST("/api/v1/admin/articles/{id}/publish", {
    params: { path: { id: created.data.id }, header: { "If-Match": `"${created.data.version}"` } },
  });
  check(published.data?.status === "published", `publish answered ${published.response.status}`);

  const stale = await admin.POST("/api/v1/admin/articles/{id}/archive", {
    params: { path: { id: created.data.id }, header: { "If-Match": `"${created.data.version}"` } },
  });
  check(stale.response.status === 412 && stale.error !== undefined, "a stale If-Match is 412");
  isProblem(stale.error, 412, "request.version_mismatch");

  const anonymous = await api.GET("/api/v1/admin/sites", {});
  check(anonymous.response.status === 401 && anonymous.error !== undefined, "admin without a key is 401");
  check(anonymous.response.headers.get("WWW-Authenticate")?.startsWith("Bearer") === true, "401 names the scheme");
  isProblem(anonymous.error, 401, "auth.unauthenticated");
}

try {
  await publicReads();
  await adminCalls();
  console.log(`TypeScript client: ${checks} checks passed against ${baseUrl}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
