import { registerDecorator, type ValidationOptions } from 'class-validator';
import { TENANT_ID_PATTERN } from '../../shared/tenant-id';

/** `'*'` or a non-empty list (≤ 100) of tenant ids. */
export function IsTenantBinding(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTenantBinding',
      target: target.constructor,
      propertyName,
      options: { message: "tenants must be '*' or a list of tenant ids", ...options },
      validator: {
        validate: (value: unknown) =>
          value === '*' ||
          (Array.isArray(value) &&
            value.length > 0 &&
            value.length <= 100 &&
            value.every((t) => typeof t === 'string' && TENANT_ID_PATTERN.test(t))),
      },
    });
}
