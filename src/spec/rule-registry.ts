// The spec-diff rules, one file each under rules/ (test/spec/diff-rules.test.ts checks this list
// against the folder, the fixtures under test/cases/diff/ and the README table).
import type { Rule } from './rule.js';
import { rule as deprecatedEndpointRemoved } from './rules/deprecated-endpoint-removed.js';
import { rule as endpointAdded } from './rules/endpoint-added.js';
import { rule as endpointDeprecated } from './rules/endpoint-deprecated.js';
import { rule as endpointMethodChanged } from './rules/endpoint-method-changed.js';
import { rule as endpointPathChanged } from './rules/endpoint-path-changed.js';
import { rule as endpointRemoved } from './rules/endpoint-removed.js';
import { rule as newOptionalRequestBody } from './rules/new-optional-request-body.js';
import { rule as newOptionalRequestParameter } from './rules/new-optional-request-parameter.js';
import { rule as newOptionalRequestProperty } from './rules/new-optional-request-property.js';
import { rule as newRequiredRequestBody } from './rules/new-required-request-body.js';
import { rule as newRequiredRequestParameter } from './rules/new-required-request-parameter.js';
import { rule as newRequiredRequestProperty } from './rules/new-required-request-property.js';
import { rule as operationIdChanged } from './rules/operation-id-changed.js';
import { rule as pathParameterRenamed } from './rules/path-parameter-renamed.js';
import { rule as requestAdditionalPropertiesClosed } from './rules/request-additional-properties-closed.js';
import { rule as requestAnyOfVariantAdded } from './rules/request-any-of-variant-added.js';
import { rule as requestAnyOfVariantRemoved } from './rules/request-any-of-variant-removed.js';
import { rule as requestBodyBecameRequired } from './rules/request-body-became-required.js';
import { rule as requestBodyRemoved } from './rules/request-body-removed.js';
import { rule as requestDefaultChanged } from './rules/request-default-changed.js';
import { rule as requestDiscriminatorChanged } from './rules/request-discriminator-changed.js';
import { rule as requestEnumValueAdded } from './rules/request-enum-value-added.js';
import { rule as requestEnumValueRemoved } from './rules/request-enum-value-removed.js';
import { rule as requestFormatChanged } from './rules/request-format-changed.js';
import { rule as requestMaxItemsDecreased } from './rules/request-max-items-decreased.js';
import { rule as requestMaxLengthDecreased } from './rules/request-max-length-decreased.js';
import { rule as requestMaxLengthSet } from './rules/request-max-length-set.js';
import { rule as requestMaxPropertiesDecreased } from './rules/request-max-properties-decreased.js';
import { rule as requestMaximumDecreased } from './rules/request-maximum-decreased.js';
import { rule as requestMaximumSet } from './rules/request-maximum-set.js';
import { rule as requestMediaTypeAdded } from './rules/request-media-type-added.js';
import { rule as requestMediaTypeRemoved } from './rules/request-media-type-removed.js';
import { rule as requestMinItemsIncreased } from './rules/request-min-items-increased.js';
import { rule as requestMinItemsSet } from './rules/request-min-items-set.js';
import { rule as requestMinLengthIncreased } from './rules/request-min-length-increased.js';
import { rule as requestMinimumIncreased } from './rules/request-minimum-increased.js';
import { rule as requestMinimumSet } from './rules/request-minimum-set.js';
import { rule as requestMultipleOfChanged } from './rules/request-multiple-of-changed.js';
import { rule as requestNullableRemoved } from './rules/request-nullable-removed.js';
import { rule as requestOneOfVariantAdded } from './rules/request-one-of-variant-added.js';
import { rule as requestOneOfVariantRemoved } from './rules/request-one-of-variant-removed.js';
import { rule as requestParameterBecameOptional } from './rules/request-parameter-became-optional.js';
import { rule as requestParameterBecameRequired } from './rules/request-parameter-became-required.js';
import { rule as requestParameterDeprecated } from './rules/request-parameter-deprecated.js';
import { rule as requestParameterMoved } from './rules/request-parameter-moved.js';
import { rule as requestParameterRemoved } from './rules/request-parameter-removed.js';
import { rule as requestPatternChanged } from './rules/request-pattern-changed.js';
import { rule as requestPropertyBecameOptional } from './rules/request-property-became-optional.js';
import { rule as requestPropertyBecameRequired } from './rules/request-property-became-required.js';
import { rule as requestPropertyRemoved } from './rules/request-property-removed.js';
import { rule as requestPropertyRenamed } from './rules/request-property-renamed.js';
import { rule as requestTypeChanged } from './rules/request-type-changed.js';
import { rule as responseAnyOfVariantAdded } from './rules/response-any-of-variant-added.js';
import { rule as responseAnyOfVariantRemoved } from './rules/response-any-of-variant-removed.js';
import { rule as responseBecameNullable } from './rules/response-became-nullable.js';
import { rule as responseBodyAdded } from './rules/response-body-added.js';
import { rule as responseBodyRemoved } from './rules/response-body-removed.js';
import { rule as responseDiscriminatorChanged } from './rules/response-discriminator-changed.js';
import { rule as responseEnumValueAdded } from './rules/response-enum-value-added.js';
import { rule as responseEnumValueRemoved } from './rules/response-enum-value-removed.js';
import { rule as responseErrorMediaTypeChanged } from './rules/response-error-media-type-changed.js';
import { rule as responseErrorStatusAdded } from './rules/response-error-status-added.js';
import { rule as responseErrorStatusRemoved } from './rules/response-error-status-removed.js';
import { rule as responseFormatChanged } from './rules/response-format-changed.js';
import { rule as responseHeaderAdded } from './rules/response-header-added.js';
import { rule as responseHeaderBecameOptional } from './rules/response-header-became-optional.js';
import { rule as responseMaxItemsIncreased } from './rules/response-max-items-increased.js';
import { rule as responseMaxLengthIncreased } from './rules/response-max-length-increased.js';
import { rule as responseMaximumIncreased } from './rules/response-maximum-increased.js';
import { rule as responseMediaTypeRemoved } from './rules/response-media-type-removed.js';
import { rule as responseMinItemsDecreased } from './rules/response-min-items-decreased.js';
import { rule as responseMinLengthDecreased } from './rules/response-min-length-decreased.js';
import { rule as responseMinimumDecreased } from './rules/response-minimum-decreased.js';
import { rule as responseOneOfVariantAdded } from './rules/response-one-of-variant-added.js';
import { rule as responseOneOfVariantRemoved } from './rules/response-one-of-variant-removed.js';
import { rule as responseOptionalHeaderRemoved } from './rules/response-optional-header-removed.js';
import { rule as responseOptionalPropertyRemoved } from './rules/response-optional-property-removed.js';
import { rule as responsePatternChanged } from './rules/response-pattern-changed.js';
import { rule as responsePropertyAdded } from './rules/response-property-added.js';
import { rule as responsePropertyBecameOptional } from './rules/response-property-became-optional.js';
import { rule as responsePropertyBecameRequired } from './rules/response-property-became-required.js';
import { rule as responsePropertyRenamed } from './rules/response-property-renamed.js';
import { rule as responseRequiredHeaderRemoved } from './rules/response-required-header-removed.js';
import { rule as responseRequiredPropertyRemoved } from './rules/response-required-property-removed.js';
import { rule as responseSuccessStatusAdded } from './rules/response-success-status-added.js';
import { rule as responseSuccessStatusChanged } from './rules/response-success-status-changed.js';
import { rule as responseSuccessStatusRemoved } from './rules/response-success-status-removed.js';
import { rule as responseTypeChanged } from './rules/response-type-changed.js';
import { rule as securityAdded } from './rules/security-added.js';
import { rule as securityRemoved } from './rules/security-removed.js';
import { rule as securitySchemeChanged } from './rules/security-scheme-changed.js';
import { rule as securityScopeAdded } from './rules/security-scope-added.js';

export const RULES: readonly Rule[] = [
  deprecatedEndpointRemoved,
  endpointAdded,
  endpointDeprecated,
  endpointMethodChanged,
  endpointPathChanged,
  endpointRemoved,
  newOptionalRequestBody,
  newOptionalRequestParameter,
  newOptionalRequestProperty,
  newRequiredRequestBody,
  newRequiredRequestParameter,
  newRequiredRequestProperty,
  operationIdChanged,
  pathParameterRenamed,
  requestAdditionalPropertiesClosed,
  requestAnyOfVariantAdded,
  requestAnyOfVariantRemoved,
  requestBodyBecameRequired,
  requestBodyRemoved,
  requestDefaultChanged,
  requestDiscriminatorChanged,
  requestEnumValueAdded,
  requestEnumValueRemoved,
  requestFormatChanged,
  requestMaxItemsDecreased,
  requestMaxLengthDecreased,
  requestMaxLengthSet,
  requestMaxPropertiesDecreased,
  requestMaximumDecreased,
  requestMaximumSet,
  requestMediaTypeAdded,
  requestMediaTypeRemoved,
  requestMinItemsIncreased,
  requestMinItemsSet,
  requestMinLengthIncreased,
  requestMinimumIncreased,
  requestMinimumSet,
  requestMultipleOfChanged,
  requestNullableRemoved,
  requestOneOfVariantAdded,
  requestOneOfVariantRemoved,
  requestParameterBecameOptional,
  requestParameterBecameRequired,
  requestParameterDeprecated,
  requestParameterMoved,
  requestParameterRemoved,
  requestPatternChanged,
  requestPropertyBecameOptional,
  requestPropertyBecameRequired,
  requestPropertyRemoved,
  requestPropertyRenamed,
  requestTypeChanged,
  responseAnyOfVariantAdded,
  responseAnyOfVariantRemoved,
  responseBecameNullable,
  responseBodyAdded,
  responseBodyRemoved,
  responseDiscriminatorChanged,
  responseEnumValueAdded,
  responseEnumValueRemoved,
  responseErrorMediaTypeChanged,
  responseErrorStatusAdded,
  responseErrorStatusRemoved,
  responseFormatChanged,
  responseHeaderAdded,
  responseHeaderBecameOptional,
  responseMaxItemsIncreased,
  responseMaxLengthIncreased,
  responseMaximumIncreased,
  responseMediaTypeRemoved,
  responseMinItemsDecreased,
  responseMinLengthDecreased,
  responseMinimumDecreased,
  responseOneOfVariantAdded,
  responseOneOfVariantRemoved,
  responseOptionalHeaderRemoved,
  responseOptionalPropertyRemoved,
  responsePatternChanged,
  responsePropertyAdded,
  responsePropertyBecameOptional,
  responsePropertyBecameRequired,
  responsePropertyRenamed,
  responseRequiredHeaderRemoved,
  responseRequiredPropertyRemoved,
  responseSuccessStatusAdded,
  responseSuccessStatusChanged,
  responseSuccessStatusRemoved,
  responseTypeChanged,
  securityAdded,
  securityRemoved,
  securitySchemeChanged,
  securityScopeAdded,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));
