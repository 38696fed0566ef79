/**
 * The Plaid credentials the e2e app runs with (playwright.config.ts passes them to the app, whose
 * mounted emulator then insists on them), so the leak scan knows the exact secret to look for.
 */
export const E2E_PLAID_CLIENT_ID = 'tributary-e2e-client';
export const E2E_PLAID_SECRET = 'tributary-e2e-plaid-secret-7c1d93fa5be2';
