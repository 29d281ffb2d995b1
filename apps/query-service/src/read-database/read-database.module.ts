import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CustomerOrdersQueries, DailySalesQueries, OrderSummaryQueries } from '@tandem/read/models';
import { ProjectionProgress } from '@tandem/read/projections/progress';

export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

/** The read DB's query objects, for the handlers. The data source is opened (and closed) by the service. */
@Global()
@Module({})
export class ReadDatabaseModule {
  static register(dataSource: DataSource): DynamicModule {
    const providers = [
      { provide: READ_DATA_SOURCE, useValue: dataSource },
      { provide: OrderSummaryQueries, useValue: new OrderSummaryQueries(dataSource) },
      { provide: CustomerOrdersQueries, useValue: new CustomerOrdersQueries(dataSource) },
      { provide: DailySalesQueries, useValue: new DailySalesQueries(dataSource) },
      { provide: ProjectionProgress, useValue: new ProjectionProgress(dataSource) },
    ];
    return { module: ReadDatabaseModule, providers, exports: providers.map((p) => p.provide) };
  }
}
