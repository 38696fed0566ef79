import { z } from 'zod';
import { Products, type InstitutionsGetByIdResponse, type InstitutionsGetResponse, type InstitutionsSearchResponse, type WebhookVerificationKeyGetResponse } from 'plaid';
import { plaidError } from '../../core/errors';
import { INSTITUTIONS, findInstitution, toInstitution, type InstitutionSpec } from '../../core/institutions';
import { publicKeyFor } from '../../core/signing-keys';
import { route } from './route';

/** Institutions (all US) and the webhook verification key. */
const countries = z.array(z.string()).min(1);
const products = z.array(z.enum(Products)).nullish();
const metaOptions = { include_optional_metadata: z.boolean().optional(), include_auth_metadata: z.boolean().nullish(), include_payment_initiation_metadata: z.boolean().nullish() };

const inUs = (codes: string[]) => codes.includes('US');
const offers = (spec: InstitutionSpec, wanted: Products[] | null | undefined) => !wanted || wanted.every((p) => spec.products.includes(p));

export const institutionRoutes = {
  '/institutions/get': route(
    z.strictObject({
      count: z.number().int().min(1).max(500),
      offset: z.number().int().min(0),
      country_codes: countries,
      options: z.strictObject({ ...metaOptions, products, routing_numbers: z.array(z.string()).nullish(), oauth: z.boolean().nullish() }).optional(),
    }),
    (_ctx, input, meta): InstitutionsGetResponse => {
      const o = input.options ?? {};
      const matching = inUs(input.country_codes)
        ? INSTITUTIONS.filter((s) => offers(s, o.products) && (o.oauth == null || s.oauth === o.oauth) && (!o.routing_numbers || o.routing_numbers.some((r) => s.routingNumbers.includes(r))))
        : [];
      return {
        institutions: matching.slice(input.offset, input.offset + input.count).map((s) => toInstitution(s, { includeOptionalMetadata: o.include_optional_metadata })),
        total: matching.length,
        request_id: meta.requestId,
      };
    },
  ),

  '/institutions/get_by_id': route(
    z.strictObject({ institution_id: z.string(), country_codes: countries, options: z.strictObject({ ...metaOptions, include_status: z.boolean().optional() }).optional() }),
    (_ctx, input, meta): InstitutionsGetByIdResponse => {
      const spec = findInstitution(input.institution_id);
      if (!spec || !inUs(input.country_codes)) throw plaidError('INVALID_INSTITUTION');
      return {
        institution: toInstitution(spec, { includeOptionalMetadata: input.options?.include_optional_metadata, includeStatus: input.options?.include_status }),
        request_id: meta.requestId,
      };
    },
  ),

  '/institutions/search': route(
    z.strictObject({ query: z.string().min(1), products, country_codes: countries, options: z.strictObject({ ...metaOptions, oauth: z.boolean().nullish(), payment_initiation: z.unknown().optional() }).optional() }),
    (_ctx, input, meta): InstitutionsSearchResponse => {
      const words = input.query.toLowerCase().split(/\s+/).filter(Boolean);
      const o = input.options ?? {};
      const found = inUs(input.country_codes)
        ? INSTITUTIONS.filter((s) => words.every((w) => s.name.toLowerCase().includes(w) || s.id === w) && offers(s, input.products) && (o.oauth == null || s.oauth === o.oauth))
        : [];
      return { institutions: found.slice(0, 10).map((s) => toInstitution(s, { includeOptionalMetadata: o.include_optional_metadata })), request_id: meta.requestId };
    },
  ),

  '/webhook_verification_key/get': route(z.strictObject({ key_id: z.string() }), (ctx, input, meta): WebhookVerificationKeyGetResponse => {
    const key = publicKeyFor(ctx, input.key_id);
    if (!key) throw plaidError('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
    return { key, request_id: meta.requestId };
  }),
};
