import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'keyledger:public-route';

/** A route that needs no root key (health checks, metrics, public keys). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
