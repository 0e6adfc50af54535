export { loadDashboardAssets } from './dashboard-assets.js';
export type { StaticAsset } from './dashboard-assets.js';
export { createDashboardRoutes, dashboardMiddleware, dashboardSettings } from './dashboard-routes.js';
export type { DashboardMount, DashboardOptions, DashboardSettings } from './dashboard-routes.js';
