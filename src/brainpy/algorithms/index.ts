/** brainpy.algorithms: online (RLS) and offline (ridge regression) fitting algorithms used by bp.dnn.Dense. */
export { OnlineAlgorithm, RLS } from './online';
export { OfflineAlgorithm, RidgeRegression } from './offline';
export * as online from './online';
export * as offline from './offline';
