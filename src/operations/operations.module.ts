import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** What an operator's tooling calls: liveness, readiness and Prometheus metrics. */
@Module({ controllers: [HealthController, MetricsController] })
export class OperationsModule {}
