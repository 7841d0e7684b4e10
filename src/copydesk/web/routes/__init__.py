"""The web app's routes, one router per page family; each is handed the app's state (state.State)."""

from copydesk.web.routes import articles, compare, jobs, library, pairs, site, stories

ROUTERS = (site.router, library.router, articles.router, pairs.router, stories.router, compare.router, jobs.router)
