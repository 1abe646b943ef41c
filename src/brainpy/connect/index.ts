/**
 * brainpy.connect (`bp.connect` / `bp.conn`): connectors and connectivity-format conversions, BrainPy ≥ 2.7.8 names.
 * Only the connectors listed here are ported (FixedProb, One2One, All2All); see each file's header for what
 * reproduces BrainPy exactly.
 */
export {
  ConnectorError, Connector, TwoEndConnector, OneEndConnector,
  CONN_MAT, PRE_IDS, POST_IDS, PRE2POST, POST2PRE, PRE2SYN, POST2SYN, PRE_SLICE, POST_SLICE, COO, CSR, CSC,
  SUPPORTED_SYN_STRUCTURE, MAT_DTYPE, IDX_DTYPE, get_idx_type,
  csr2csc, csr2coo, csr2mat, coo2csr, coo2csc, coo2mat, mat2coo, mat2csr, mat2csc,
  type SynStructure, type TensorStructure, type PairStructure, type ConnData, type Size, type BuildConnResult,
} from './base';
export { FixedProb, format_seed, random_conn_config, type FixedProbOptions } from './random_conn';
export { One2One, one2one, All2All, all2all, type All2AllOptions } from './regular_conn';
