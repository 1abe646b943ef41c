/**
 * Floating-point kernels that reproduce, instruction for instruction, the arithmetic PyTorch 1.13's
 * CPU random kernels execute on x86-64 (the AVX2 kernels that ATen dispatches to on any CPU with AVX2,
 * linked against glibc >= 2.28 whose libm picks its FMA variants on such CPUs).
 *
 * Why this file exists: `torch.randn`/`normal_` on float64 tensors call glibc's `log` and `sincos`, and
 * V8's `math.log`/`math.sin`/`math.cos` (fdlibm ports) differ from glibc in the last bit for roughly 7% /
 * 3% / 3% of arguments, so a bit-identical stream needs glibc's algorithms. The float32 path (>= 16
 * elements) runs ATen's `avx_mathfun.h` polynomials (`log256_ps`, `sincos256_ps`); GCC compiled that
 * file with floating-point contraction, so several multiply-adds became fused `vfmadd` instructions.
 * Every fused multiply-add below was read off the disassembly of the shipped binaries (Debian's
 * libtorch 1.13.1 `libtorch_cpu.so`, glibc 2.36 `__ieee754_log_fma`, `__sincos_fma`), and the whole
 * file is checked against real torch and glibc outputs (compat/record_random.py, test/core/random.test.ts).
 *
 * The two constant tables (`__sincostab` of the IBM Accurate Mathematical Library and `__log_data` of the
 * Arm optimized-routines log, both shipped in glibc's libm) are numeric data of those algorithms, dumped
 * from glibc 2.36's libm; the code around them is written from the algorithms' specification.
 */

/** Math through a module binding: a global lookup per element is ~20x slower inside jest's vm context. */
const math = Math;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** 2^27 + 1, Veltkamp's splitter for binary64. */
const SPLIT = 134217729;

/**
 * Correctly rounded binary64 fused multiply-add `a * b + c` (one rounding), emulated with binary64
 * arithmetic: Dekker's exact product, Knuth's TwoSum and a round-to-odd sum (Boldo & Melquiond,
 * "Emulation of FMA and correctly-rounded sums: proved algorithms using rounding to odd", 2008).
 * Exact for operands whose products neither overflow nor underflow (always the case here).
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // th + tl = c + p exactly
  const th = c + p;
  const bv = th - c;
  const tl = (c - (th - bv)) + (p - bv);
  // v = round-to-odd(tl + pe)
  let v = tl + pe;
  const vv = v - tl;
  const ve = (tl - (v - vv)) + (pe - vv);
  if (ve !== 0) {
    f64[0] = v;
    const lo = u32[LO];
    if ((lo & 1) === 0) {
      // v is even: the odd neighbour on the side of the exact sum is the round-to-odd result
      if ((ve > 0) === (v > 0)) {
        const nlo = (lo + 1) >>> 0;
        u32[LO] = nlo;
        if (nlo === 0) u32[HI] = (u32[HI] + 1) >>> 0;
      } else {
        if (lo === 0) u32[HI] = (u32[HI] - 1) >>> 0;
        u32[LO] = (lo - 1) >>> 0;
      }
      v = f64[0];
    }
  }
  return th + v;
}

/**
 * Correctly rounded binary32 fused multiply-add for binary32 inputs `a`, `b`, `c` (numbers holding
 * float32 values). The product is exact in binary64; the binary64 sum is rounded once more to binary32,
 * which is only wrong when the binary64 sum lands exactly on a binary32 midpoint, and that case is
 * settled with the exact error of the sum.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = math.fround(s);
  const h = s - r;
  if (h === 0) return r;
  const other = r + 2 * h;
  // kept small so that V8 inlines it; the tie case is rare
  return math.fround(other) === other ? fma32Tie(p, c, s, r, h, other) : r;
}

/** s = p + c (binary64) is the midpoint between the floats r and other: decide with the exact error of the sum. */
function fma32Tie(p: number, c: number, s: number, r: number, h: number, other: number): number {
  const bv = s - p;
  const e = (p - (s - bv)) + (c - bv);
  if (e === 0) return r;
  return (e > 0) === (h > 0) ? other : r;
}

function hexToF64(hex: string): Float64Array {
  const n = hex.length / 16;
  const out = new Float64Array(n);
  const w = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    w[2 * i + HI] = parseInt(hex.slice(16 * i, 16 * i + 8), 16) >>> 0;
    w[2 * i + LO] = parseInt(hex.slice(16 * i + 8, 16 * i + 16), 16) >>> 0;
  }
  return out;
}

const SINCOSTAB_HEX =
  '000000000000000000000000000000003ff00000000000000000000000000000' +
  '3f7fffeaaaaeeeefbc1e45e2ec67b77c3fefffc0001555523c8f4a01a0196dae' +
  '3f8fffaaaaeeeed5bc02ab639a9f07773fefff000155549f3c828a28a03a5ef3' +
  '3f97ff70010332553bfefe2b515273363feffdc006bff7e63c8ae6dae86977bd' +
  '3f9ffeaaaeeee86fbc3cd406fb224ae23feffc00155527d3bc83b54492d89b5b' +
  '3fa3feb2b12d45d53c34ec54203d1c113feff9c03414a7ba3c6991f4be6c59bf' +
  '3fa7fdc01032fba9bc4599bdf46e997a3feff7006bfdf99fbc78b3b560648d5f' +
  '3fabfc6d78586dac3c18e4fd03dbf2363feff3c0c8103a313c74856dbddc0e66' +
  '3faffaaaeeed4edbbc42d16d32684b693feff0015549f4d33c8328387b99426f' +
  '3fb1fc343d808befbc5f3d32e6f3be4f3fefebc222a8ef9f3c57934934f54c77' +
  '3fb3facb12d1755bbc5921915299468c3fefe7034129ef6fbc6cbf4337c96f97' +
  '3fb5f911fd10b737bc50184f02be91023fefe1c4c3c873ebbc35a9c9057c4a02' +
  '3fb7f701032550e43c3afc2d1800501a3fefdc06bf7e6b9b3c831902b535f8db' +
  '3fb9f4902d55d1f93c52696d7eac1dc13fefd5c94b43e000bc62e768cb4f92f9' +
  '3fbbf1b78568391d3c5e91841dea4cc83fefcf0c800e99b13c6ea3d786d186ac' +
  '3fbdee6f16c1cce6bc450f8e2fb716733fefc7d078d1bc883c8075d2447db685' +
  '3fbfeaaeee86ee36bc4afcb2bcc6f03b3fefc015527d5bd33c8b68f35094efb8' +
  '3fc0f3378ddd71d13c6d8468724f0f9e3fefb7db2bfe06953c821dadf4f65ab1' +
  '3fc1f0d3d7afceafbc66ef95099769a53fefaf22263c4bd3bc552ace133a2769' +
  '3fc2ee285e4ab88fbc6e4d0f05dee0583fefa5ea641c36f23c404da6ed17cc7c' +
  '3fc3eb312c5d66cb3c647d666b66cb913fef9c340a7cc4283c8c5b6b063b7462' +
  '3fc4e7ea4dc5f27b3c5949db2ac072fc3fef91ff40374d01bc67d03f4d3a9e4c' +
  '3fc5e44fcfa126f3bc66f443063f89b63fef874c2e1eecf6bc8c6514e1332b16' +
  '3fc6e05dc05a4d4cbbd32c5c8b81c9403fef7c1afeffde24bc78f55bc47540b1' +
  '3fc7dc102fbaf2b53c45ab50e23c97c33fef706bdf9ece1cbc8698c80c36dcb4' +
  '3fc8d7632efaa944bc620fa262cbb9533fef643efeb82acd3c76b00ac1fe28ac' +
  '3fc9d252d0cec3123c59c43d80b1137d3fef57948cff67973c6e3a0d3e03b1d5' +
  '3fcaccdb297a0765bc59883b57d6cdeb3fef4a6cbd1e3a793c813df0edaebb57' +
  '3fcbc6f84edc61993c69c1a56a7b0cab3fef3cc7c3b3d16ebc621a3ad28a3494' +
  '3fccc0a6588289a3bc6868d09bc87c6b3fef2ea5d753ffed3c8cc4215f56d583' +
  '3fcdb9e15fb5a5d0bc632e20d6cc6fc23fef20073086649f3c7b940416c1984b' +
  '3fceb2a57f8ae5a3bc60be06af572ceb3fef10ec09c5873b3c8d9072762c1283' +
  '3fcfaaeed4f31577bc615d88508e32b83fef01549f7deea13c8d3c1e99e5cafd' +
  '3fd0515cbf65155cbc79b8c29dfd8ec83feef141300d2f26bc82aa1b08ded372' +
  '3fd0cd00cef36436bc79fb0a0c93e2b53feee0b1fbc0f11cbc4bfd2380bbc3b1' +
  '3fd14861aa94ddebbc6be881b5b615a43feecfa744d5efa1bc556d0a4af541d0' +
  '3fd1c37d64c6b8763c746076fe0dcff53feebe214f76efa8bc802f9f12ba543e' +
  '3fd23e52111aaf36bc74f080334eff183feeac2061bbaf4f3c62c1d53e94658d' +
  '3fd2b8ddc43eb49f3c61553899f2d8073fee99a4c3a7cd83bc82264b1bc53ce8' +
  '3fd3331e94049f873c7e0cb6b40c302c3fee86aebf29a9ed3c89397afdbb58a7' +
  '3fd3ad129769d3d83c003d55048783983fee733ea0193d40bc86428b3546ce13' +
  '3fd426b7e69ee697bc7f09c75705c59f3fee5f54b436e9d03c87eb0fd02fc8bc' +
  '3fd4a00c9b0f3d203c7823ba6bb08ead3fee4af14b2a449cbc868ca02e8a6833' +
  '3fd5190ecf68a77a3c7b357155eef0f33fee3614b680d6a5bc727793aa015237' +
  '3fd591bc9fa2f5973c67c74bac3fe0cb3fee20bf49acd6c1bc5660aec7ef636c' +
  '3fd60a14290787753c5b1fd80ba891333fee0af15a03dbce3c5fe8e702771ae6' +
  '3fd682138a38d7f7bc7d889202444aad3fedf4ab3ebd875ebc8e2d8a7e6736c4' +
  '3fd6f9b8e33a02553c742bc14ee9da0d3feddded50f228d6bc6e80c8d42ba2bf' +
  '3fd7710255764214bc66ead7314bb6ce3fedc6b7eb9959123c54b364776dcd35' +
  '3fd7e7ee03c86d4ebc7b63bcdabf5af23fedaf0b6b888e833c8a249e2b5e5cea' +
  '3fd85e7a128269493c78a40e9b5face03fed96e82f71a9dc3c8ff61bd5d2039d' +
  '3fd8d4a4a774992f3c744a02ea7663263fed7e4e97e17b4abc63b770352bed94' +
  '3fd94a6be9f546c5bc769ce13e683f583fed653f073e4040bc876236434bec37' +
  '3fd9bfce02e805103c709e39a320b0a43fed4bb9e1c619e03c8f34bb77858f61' +
  '3fda34c91cc50ccabc5a310e3b50cecd3fed31bf8d8d7c063c7e60dd3089cbdd' +
  '3fdaa95b63a09277bc66293eb13c03813fed1750727d94f03c80d52b1ec1a48e' +
  '3fdb1d8305321617bc7ae242cb99f5193fecfc6cfa52ad9f3c88b5b5508f2a0d' +
  '3fdb913e30dbac43bc7e38ad2f6c3ff13fece115909a82e53c81f139bb31109a' +
  '3fdc048b17b140a33c619fe6757e9fa73fecc54aa2b2972e3c64ee162ba83a98' +
  '3fdc7767ec7fd19ebc5eb14d1a3d58263feca90c9fc67d0bbc646a81485e3462' +
  '3fdce9d2e3d4a51fbc62fc8a12dae2983fec8c5bf8ce1a843c7ab3d1a1590123' +
  '3fdd5bca340476613c728a44a75fc29c3fec6f39208be53bbc8741dbfbaadb42' +
  '3fddcd4c15329c9a3c70d4c6e171fd9a3fec51a48b8b175ebc61bbb43b9aa880' +
  '3fde3e56c1582a69bc50a4821099f88f3fec339eb01ddd81bc8caaf5ee82c5c0' +
  '3fdeaee8744b05f0bc5789b43c9b027d3fec1528065b7d50bc8892111312e828' +
  '3fdf1eff6bc4f97b3c717212f8a7525c3febf641081e75363c8b7bd71628a9a1' +
  '3fdf8e99e76abc973c59d950af2d00a33febd6ea310294f53c731bbcc88c109d' +
  '3fdffdb628d2f57a3c6f4a992e905b6a3febb723fe630f323c772bd2452d0a39' +
  '3fe0362939c69955bc82d8cd78397b013feb96eeef58840e3c545a3cc78fade0' +
  '3fe06d3686946e5b3c83f5ae4538ff1b3feb764b84b704c2bc8f5848c21b389b' +
  '3fe0a4021e9e1001bc86f643a13914f63feb553a410c104e3c58ff7947027a16' +
  '3fe0da8b26b5672ebc8a58def0bee9093feb33bba89c89483c8ea6a51d1f6ca9' +
  '3fe110d0c4b69c3b3c8d9189988099813feb11d04162a4c63c71dd561efbc0c2' +
  '3fe146d21f8b7f823c7bf9535e2739a83feaef78930bd275bc7f836279746f94' +
  '3fe17c8e5f2eedb03c635e57102e24883feaccb526f69de53c88fb6a8dd6b6cc' +
  '3fe1b204acb02fddbc5f190c70cbb5ff3feaa98688308913bc0b83d607cd5070' +
  '3fe1e7343236574c3c722a3fa4f41d5a3fea85ed4373e02d3c69be06385ec792' +
  '3fe21c1c1b0394cf3c5e5b324b23aa313fea61e9e72586af3c858330e2fd453f' +
  '3fe250bb93788bbb3c7ea3d02457bcce3fea3d7d0352bdcfbc868dbaeca19669' +
  '3fe28511c917a067bc801df1d9a16b703fea18a729aee4453c395e25736c0358' +
  '3fe2b91dea88421ebc8fa371db216ab03fe9f368ed912f85bc81d200c5791606' +
  '3fe2ecdf279a30823c8d3557e0e7e37e3fe9cdc2e3f25e5c3c83f99112993f62' +
  '3fe32054b148bc4f3c8f6b42095a135b3fe9a7b5a36a65143c8722cfcc9fa7a9' +
  '3fe3537db9be03673c6b327e7af040f03fe98141c42e13103c8d1ff80488f08d' +
  '3fe386597456282bbc710fada93b07a83fe95a67e00cb1fdbc80befda21f862d' +
  '3fe3b8e715a2840abc797653a7d2f07b3fe93328926d9e92bc8bb77003600cda' +
  '3fe3eb25d36cd53abc5be570e1570fc03fe90b84784ddaf7bc70feb10ab93b87' +
  '3fe41d14e4ba67903c84608fd287ecf53fe8e37c303d9ad1bc6463a4b53d4bf8' +
  '3fe44eb381cf386bbc83ed6c1e6a55053fe8bb105a5dc9003c8863e03e9474c1' +
  '3fe48000e431159fbc8b194a7463ed103fe89241985d871f3c8c48d9c413ed84' +
  '3fe4b0fc46aab7613c20da05738cc59a3fe869108d77a6c63c7338ffe2bfe9dd' +
  '3fe4e1a4e54ed51bbc8a492f89b7c76a3fe83f7dde701ca0bc4152cf609bc6e8' +
  '3fe511f9fd7b351cbc85c0e861c488313fe8158a31916d5dbc6de8b90b8228de' +
  '3fe541facddbb7243c7232c28520d3913fe7eb362eaa14883c5a1d65a4a5959f' +
  '3fe571a6966d59b33c5c843b4d0fb1983fe7c0827f09e54fbc6c73d6d72aee68' +
  '3fe5a0fc98813a12bc8d82e2b7d4227b3fe7956fcd7f6543bc8ab276e9d45ae4' +
  '3fe5cffc16bf8f0d3c896cb370eb578a3fe769fec655211fbc6827d5cf8c68c5' +
  '3fe5fea4552a9e573c80b6cef7ee20b73fe73e30174efba1bc65d3ae3d94ad5f' +
  '3fe62cf49921ac79bc8edd9855b6241a3fe712046fa776783c8425b0a5029c81' +
  '3fe65aec2963e7553c8126f96b71053c3fe6e57c800cf55e3c860286dedbd0a6' +
  '3fe6888a4e134b2fbc86b7d37644d5e63fe6b898fa9efb5d3c715ac786ccf4b2' +
  '3fe6b5ce50b7821abc65d5158f702e0f3fe68b5a92eb6253bc89a91ad985f89c' +
  '3fe6e2b77c40bde1bc70e729857fad533fe65dc1fdeb8cbabc597c1b47337c77' +
  '3fe70f451d0a8c403c697ede3885770d3fe62fcff20191c73c6d9143895756ef' +
  '3fe73b7680dea578bc72248306dc12a23fe6018526f563df3c846ca5e0e432d0' +
  '3fe7674af6f7b5243c7e9d3f94ac84a83fe5d2e255f1f17a3c80314104c8892b' +
  '3fe792c1d0041d52bc8abf05eeb354eb3fe5a3e8398240773c8428aa2759be62' +
  '3fe7bdda5e28b3c23c4ad1197ccd03933fe574978d8e83f23c8f4714af282d23' +
  '3fe7e893f50379593c80eefbaa650c4c3fe544f10f592ca5bc8e7ae8e6c7a62f' +
  '3fe812ede9ae4ba4bc87830adf402dda3fe514f57d7bf3da3c747a108073c259';

const LOG_TAB_HEX =
  '3ff734f0c3e0de9fbfd7cc7f79e690003ff713786a2ce91fbfd76feec20d0000' +
  '3ff6f26008fab5a0bfd713e31351e0003ff6d1a61f138c7dbfd6b85b38287800' +
  '3ff6b1490bc5b4d1bfd65d55908078003ff69147332f0cbabfd602d076180000' +
  '3ff6719f18224223bfd5a8ca869090003ff6524f99a51ed9bfd54f4356035000' +
  '3ff63356aa8f24c4bfd4f637c36b40003ff614b36b9ddc14bfd49da7fda85000' +
  '3ff5f66452c65c4cbfd445923989a8003ff5d867b5912c4fbfd3edf439b0b800' +
  '3ff5babccb5b90debfd396ce448f70003ff59d61f2d91a78bfd3401e17bda000' +
  '3ff5805612465687bfd2e9e2ef4680003ff56397cee76bd3bfd2941b3830e000' +
  '3ff54725e2a77f93bfd23ec58cda88003ff52aff42064583bfd1e9e129279000' +
  '3ff50f22dbb2bddfbfd1956d2b48f8003ff4f38f4734ded7bfd141679ab9f800' +
  '3ff4d843cfde2840bfd0edd094ef98003ff4bd3ec078a3c8bfd09aa518db1000' +
  '3ff4a27fc3e0258abfd047e65263b8003ff4880524d48434bfcfeb224586f000' +
  '3ff46dce1b192d0bbfcf474a7517b0003ff453d9d3391854bfcea4443d103000' +
  '3ff43a2744b4845abfce020d44e9b0003ff420b54115f8fbbfcd60a22977f000' +
  '3ff40782da3ef4b1bfccc001049590003ff3ee8f5d57fe8fbfcc202956891000' +
  '3ff3d5d9a00b4ce9bfcb81178d8110003ff3bd60c010c12bbfcae2c9ccd3d000' +
  '3ff3a5242b75dab8bfca45402e1290003ff38d22cd9fd002bfc9a877681df000' +
  '3ff3755bc5847a1cbfc90c6d694830003ff35dce49ad36e2bfc87120a645c000' +
  '3ff34679984dd440bfc7d68fb41430003ff32f5cceffcb24bfc73cb83c627000' +
  '3ff3187775a10d49bfc6a39a9b3760003ff301c8373e3990bfc60b3154b7a000' +
  '3ff2eb4ebb95f841bfc5737d762430003ff2d50a0219a9d1bfc4dc7b8fc23000' +
  '3ff2bef9a8b7fd2abfc4462c51d200003ff2a91c7a0c1babbfc3b08abc830000' +
  '3ff293726014b530bfc31b996b4900003ff27dfa5757a1f5bfc2875490a44000' +
  '3ff268b39b1d3bbfbfc1f3b9f879a0003ff2539d838ff5bdbfc160c8252ca000' +
  '3ff23eb7aac9083bbfc0ce7f57f720003ff22a012ba940b6bfc03cdc49fea000' +
  '3ff2157996cc4132bfbf57bdbc4b80003ff201201dd2fc9bbfbe370896404000' +
  '3ff1ecf4494d480bbfbd17983ef940003ff1d8f5528f6569bfbbf9674ed8a000' +
  '3ff1c52311577e7cbfbadc79202f60003ff1b17c74cb26e9bfb9c0c3e7288000' +
  '3ff19e010c2c1ab6bfb8a646b372c0003ff18ab07bb670bdbfb78d01b3ac0000' +
  '3ff1778a25efbcb6bfb674f1453800003ff1648d354c31dabfb55e0e6d878000' +
  '3ff151b990275fddbfb4485cdea1e0003ff13f0ea432d24cbfb333d94d6aa000' +
  '3ff12c8b7210f9dabfb22079f8c560003ff11a3028ecb531bfb10e4698622000' +
  '3ff107fbda8434afbfaffa6c6ad200003ff0f5ee0f4e6bb3bfadda8d4a774000' +
  '3ff0e4065d2a9fcebfabbcece48500003ff0d244632ca521bfa9a1894012c000' +
  '3ff0c0a77ce2981abfa788583302c0003ff0af2f83c636d1bfa5715e67d68000' +
  '3ff09ddb98a01339bfa35c8a496580003ff08cabaf52e7dfbfa149e364154000' +
  '3ff07b9f2f4e28fbbf9e72c082eb80003ff06ab58c358f19bf9a55f152528000' +
  '3ff059eea5ecf92cbf963d62cf8180003ff04949cdd12c90bf9228fb8caa0000' +
  '3ff038c6c6f0ada9bf8c317b20f900003ff02865137932a9bf8419355daa0000' +
  '3ff0182427ea7348bf781203c2ec00003ff008040614b195bf60040979240000' +
  '3fefe01ff726fa1a3f6feff3849000003fefa11cc261ea743f87dc41353d0000' +
  '3fef6310b081992e3f93cea3c4c280003fef25f63ceeadcd3f9b9fc114890000' +
  '3feee9c8039113e73fa1b0d8ce1100003feeae8078cbb1ab3fa58a5bd001c000' +
  '3fee741aa29d0c9b3fa95c8340d880003fee3a91830a99b53fad276aef578000' +
  '3fee01e009609a563fb07598e598c0003fedca01e577bb983fb253f5e30d2000' +
  '3fed92f20b7c91033fb42edd8b3800003fed5cac66fb5cce3fb606598757c000' +
  '3fed272caa5ede9d3fb7da76356a00003fecf26e3e6b2ccd3fb9ab434e1c6000' +
  '3fecbe6da2a779023fbb78c7bb0d60003fec8b266d37086d3fbd431332e72000' +
  '3fec5894bd5d58043fbf0a3171de60003fec26b533bb9f8c3fc067152b914000' +
  '3febf583eeece73f3fc147858292b0003febc4fd75db96c13fc2266ecdca3000' +
  '3feb951e0c864a283fc303d7a6c550003feb65e2c5ef3e2c3fc3dfc33c331000' +
  '3feb374867c9888b3fc4ba366b7a80003feb094b211d304a3fc5933928d1f000' +
  '3feadbe885f2ef7e3fc66acd2418f0003feaaf1d31603da23fc740f8ec669000' +
  '3fea82e63fd358a73fc815c0f51af0003fea5740ef09738b3fc8e92954f68000' +
  '3fea2c2a90ab4b273fc9bb3602f840003fea01a01393f2d13fca8bed1c2c0000' +
  '3fe9d79f24db3c1b3fcb5b515c01d0003fe9ae2505c7b1903fcc2967ccbcc000' +
  '3fe9852ef297ce2f3fccf635d54860003fe95cbaeea44b753fcdc1bd3446c000' +
  '3fe934c69de748383fce8c01b8cfe0003fe90d4f2f6752e63fcf5509c0179000' +
  '3fe8e6528effd79d3fd00e6c121fb8003fe8bfce9fcc007c3fd071b80e93d000' +
  '3fe899c0dabec30e3fd0d46b9e8670003fe87427aa2317fb3fd13687334bd000' +
  '3fe84f00acb39a083fd1980d672348003fe82a49e8653e553fd1f8ffe0cc8000' +
  '3fe8060195f402603fd2595fd76368003fe7e22563e0a3293fd2b9300914a800' +
  '3fe7beb377dcb5ad3fd31872104360003fe79baa679725c23fd377266dec1800' +
  '3fe77907f21706573fd3d54ffbaf30003fe756cadbd6130c3fd432eee32fe000';

const LOG_POLY_HEX =
  '3fe62e42fefa38003d2ef35793c76730bfe00000000000013fd555555551305b' +
  'bfcfffffffeb45903fc999b324f10111bfc55575e506c89fbfe0000000000000' +
  '3fd5555555555577bfcffffffffffdcb3fc999999995dd0cbfc55555556745a7' +
  '3fc24924a344de30bfbfffffa4423d653fbc7184282ad6cabfb999eb43b068ff' +
  '3fb78182f7afd085bfb5521375d145cd';

/** IBM Accurate Mathematical Library `__sincostab`: sin and cos of i/128 as (hi, lo) pairs, i = 0..109. */
const SINCOSTAB = hexToF64(SINCOSTAB_HEX);
/** Arm optimized-routines `__log_data.tab`: (invc, logc) for 128 subintervals of [0.6875, 1.375). */
const LOG_TAB = hexToF64(LOG_TAB_HEX);
const LOG_POLY = hexToF64(LOG_POLY_HEX);
const LN2HI = LOG_POLY[0];
const LN2LO = LOG_POLY[1];
const A0 = LOG_POLY[2], A1 = LOG_POLY[3], A2 = LOG_POLY[4], A3 = LOG_POLY[5], A4 = LOG_POLY[6];
const B0 = LOG_POLY[7], B1 = LOG_POLY[8], B2 = LOG_POLY[9], B3 = LOG_POLY[10], B4 = LOG_POLY[11];
const B5 = LOG_POLY[12], B6 = LOG_POLY[13], B7 = LOG_POLY[14], B8 = LOG_POLY[15], B9 = LOG_POLY[16];
const B10 = LOG_POLY[17];

/**
 * glibc's `log` (x86-64 `__ieee754_log_fma`, glibc 2.28 and later) for finite x > 0, bit for bit.
 * (Non-positive, infinite, NaN and subnormal arguments never reach it from the random kernels; they get
 * the IEEE answers and a subnormal is normalised as glibc does.)
 */
export function glibcLog(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? x : NaN;
  f64[0] = x;
  let hi = u32[HI];
  if (hi >= 0x3fee0000 && hi < 0x3ff10900) {
    // |x - 1| small: log1p-style polynomial with an exact head
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    let p2 = fma64(r, B2, B1);
    let p5 = fma64(r, B5, B4);
    const p8 = fma64(r, B8, B7);
    p2 = fma64(r2, B3, p2);
    p5 = fma64(r2, B6, p5);
    let q = fma64(r2, B9, p8);
    q = fma64(r3, B10, q);
    q = fma64(q, r3, p5);
    q = fma64(q, r3, p2);
    const t = r * 134217728 + r; // fma(r, 2^27, r): the product is exact
    const rhi = t - r * 134217728; // fma(-2^27, r, t)
    const rhi2 = rhi * rhi;
    const rlo = r - rhi;
    const h = r + rhi2 * B0; // B0 = -0.5: exact products
    let lo = (r - h) + rhi2 * B0;
    lo = fma64(B0 * rlo, r + rhi, lo);
    const y = fma64(q, r3, lo);
    return h + y;
  }
  let lo32 = u32[LO];
  if (hi < 0x00100000) {
    // subnormal: scale by 2^52 and take 52 off the exponent
    f64[0] = x * 4503599627370496;
    hi = (u32[HI] - (52 << 20)) >>> 0;
    lo32 = u32[LO];
  }
  const tmpHi = (hi - 0x3fe60000) | 0; // tmp = ix - OFF; OFF's low word is 0
  const i = (tmpHi >>> 13) & 0x7f;
  const k = tmpHi >> 20;
  u32[HI] = (hi - (tmpHi & 0xfff00000)) >>> 0;
  u32[LO] = lo32;
  const z = f64[0];
  const invc = LOG_TAB[2 * i];
  const logc = LOG_TAB[2 * i + 1];
  const kd = k;
  const w = kd * LN2HI + logc; // fma(kd, Ln2hi, logc): kd * Ln2hi is exact
  const r = fma64(z, invc, -1);
  const pA = fma64(r, A2, A1);
  const hv = r + w;
  const r2 = r * r;
  let lo = (w - hv) + r;
  lo = fma64(kd, LN2LO, lo);
  const r3 = r * r2;
  let pB = fma64(r, A4, A3);
  lo = fma64(r2, A0, lo);
  pB = fma64(pB, r2, pA);
  const y = fma64(r3, pB, lo);
  return y + hv;
}

const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS2 = 0.5;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-06;
const S5 = -2.5022014848318398e-08;
const BIG = 52776558133248.0;
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-08;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
const HPINV = 0.6366197723675814;
const TOINT = 6755399441055744.0;
const TAYLOR_LIMIT = 0.126;

function copysign(mag: number, sgn: number): number {
  const m = math.abs(mag);
  return sgn < 0 || Object.is(sgn, -0) ? -m : m;
}

/** sin(x + dx), glibc's `do_sin` as contracted in `__sincos_fma`. */
function doSin(x: number, dx: number): number {
  const ax = math.abs(x);
  if (ax < TAYLOR_LIMIT) {
    const xx = x * x;
    let p = fma64(xx, S5, S4);
    p = fma64(xx, p, S3);
    p = fma64(xx, p, S2);
    p = fma64(xx, p, S1);
    let t = fma64(p, x, -(0.5 * dx));
    t = fma64(xx, t, dx);
    return x + t;
  }
  if (x <= 0) dx = -dx;
  const u = BIG + ax;
  const xr = ax - (u - BIG);
  f64[0] = u;
  const k = (u32[LO] << 2) | 0;
  const sn = SINCOSTAB[k], ssn = SINCOSTAB[k + 1], cs = SINCOSTAB[k + 2], ccs = SINCOSTAB[k + 3];
  const xx = xr * xr;
  const s = fma64(xr * xx, fma64(xx, SN5, SN3), dx) + xr;
  const c = fma64(dx, xr, xx * fma64(fma64(xx, CS6, CS4), xx, CS2));
  let cor = fma64(s, ccs, ssn);
  cor = fma64(-c, sn, cor);
  cor = fma64(s, cs, cor);
  return copysign(cor + sn, x);
}

/** cos(x + dx), glibc's `do_cos` as contracted in `__sincos_fma`. */
function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = math.abs(x);
  const u = BIG + ax;
  const xr = (ax - (u - BIG)) + dx;
  f64[0] = u;
  const k = (u32[LO] << 2) | 0;
  const sn = SINCOSTAB[k], ssn = SINCOSTAB[k + 1], cs = SINCOSTAB[k + 2], ccs = SINCOSTAB[k + 3];
  const xx = xr * xr;
  const s = fma64(xr * xx, fma64(xx, SN5, SN3), xr);
  const c = xx * fma64(fma64(xx, CS6, CS4), xx, CS2);
  let cor = fma64(-s, ssn, ccs);
  cor = fma64(-cs, c, cor);
  cor = fma64(-s, sn, cor);
  return cor + cs;
}

/** Results of the last {@link glibcSincos} call. */
export const sincosOut = new Float64Array(2);

/**
 * glibc's `sincos` (x86-64 `__sincos_fma`, the IBM Accurate Mathematical Library without slow paths,
 * glibc 2.28 and later) for finite |x| < 105414350, bit for bit; writes sin to `sincosOut[0]` and cos to
 * `sincosOut[1]`. Larger arguments (which need glibc's `__branred`) are not supported: the random
 * kernels only pass 2*pi*u with u in [0, 1).
 */
export function glibcSincos(x: number): void {
  f64[0] = x;
  const k = u32[HI] & 0x7fffffff;
  if (k < 0x400368fd) {
    if (k < 0x3e400000) {
      sincosOut[0] = x;
      sincosOut[1] = 1;
      return;
    }
    if (k < 0x3feb6000) {
      sincosOut[0] = doSin(x, 0);
      sincosOut[1] = doCos(x, 0);
      return;
    }
    const y = HP0 - math.abs(x);
    const a = y + HP1;
    const da = (y - a) + HP1;
    sincosOut[0] = copysign(doCos(a, da), x);
    sincosOut[1] = doSin(a, da);
    return;
  }
  if (!(k < 0x419921fb)) {
    throw new Error(`glibcSincos: x must be a finite number with |x| < 105414350, got ${x}`);
  }
  // reduce_sincos
  const t = fma64(x, HPINV, TOINT);
  const xn = t - TOINT;
  f64[0] = t;
  const n = u32[LO] & 3;
  let y = fma64(-xn, MP1, x);
  y = fma64(-xn, MP2, y);
  const t2 = fma64(-xn, PP3, y);
  let db = fma64(-xn, PP3, y - t2);
  const b = fma64(-xn, PP4, t2);
  db += fma64(-xn, PP4, t2 - b);
  let a = b;
  let da = db;
  if (n === 1 || n === 2) {
    a = -a;
    da = -da;
  }
  const s = doSin(a, da);
  let c = doCos(a, da);
  if (n & 2) c = -c;
  if (n & 1) {
    sincosOut[0] = c;
    sincosOut[1] = s;
  } else {
    sincosOut[0] = s;
    sincosOut[1] = c;
  }
}

// ---------------------------------------------------------------------------------------------------
// ATen avx_mathfun.h `log256_ps` / `sincos256_ps` as compiled into libtorch_cpu's AVX2 normal kernel,
// one lane at a time. All values are binary32 held in numbers; `fr` is math.fround.

const fr = math.fround;
const F_SQRTHF = fr(0.707106781186547524);
const F_LOG_P0 = fr(7.0376836292e-2);
const F_LOG_P1 = fr(-1.1514610310e-1);
const F_LOG_P2 = fr(1.1676998740e-1);
const F_LOG_P3 = fr(-1.2420140846e-1);
const F_LOG_P4 = fr(1.4249322787e-1);
const F_LOG_P5 = fr(-1.6668057665e-1);
const F_LOG_P6 = fr(2.0000714765e-1);
const F_LOG_P7 = fr(-2.4999993993e-1);
const F_LOG_P8 = fr(3.3333331174e-1);
const F_LOG_Q1 = fr(-2.12194440e-4);
const F_LOG_Q2 = fr(0.693359375);
const F_MDP1 = fr(-0.78515625);
const F_MDP2 = fr(-2.4187564849853515625e-4);
const F_MDP3 = fr(-3.77489497744594108e-8);
const F_SINCOF_P0 = fr(-1.9515295891e-4);
const F_SINCOF_P1 = fr(8.3321608736e-3);
const F_SINCOF_P2 = fr(-1.6666654611e-1);
const F_COSCOF_P0 = fr(2.443315711809948e-5);
const F_COSCOF_P1 = fr(-1.388731625493765e-3);
const F_COSCOF_P2 = fr(4.166664568298827e-2);
const F_FOPI = fr(1.27323954473516);
/** `_mm256_set1_ps(2.0f * c10::pi<double>)` */
const F_TWO_PI = fr(2 * math.PI);

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);

/**
 * ATen `normal_fill_16_AVX2` on `data[off .. off + 16)`, lane by lane: `log256_ps` and `sincos256_ps`
 * from avx_mathfun.h as GCC compiled them into libtorch_cpu (each `{ const p = a * b; ... }` block is one
 * fused multiply-add instruction, rounded once to binary32; written out in place so that V8 keeps
 * everything in registers), then `fmadd(radius * cos, std, mean)` to `data[off + j]` and
 * `fmadd(radius * sin, std, mean)` to `data[off + 8 + j]`. `mean` and `std` are binary32 values.
 */
export function normal16Avx2(data: Float32Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    // ---- radius = sqrt(-2 * log256_ps(1 - u1))
    const u1 = fr(1 - data[off + j]);
    f32[0] = u1;
    const bits = f32bits[0];
    f32bits[0] = (bits & 0x807fffff) | 0x3f000000; // mantissa of u1 with exponent of 0.5
    const xm = f32[0];
    let e = (bits >>> 23) - 126; // float(exponent - 127) + 1, exact
    let x = xm - 1; // exact
    if (xm < F_SQRTHF) {
      e -= 1;
      x = fr(x + xm); // 2 * xm - 1, exact on the 2^-24 grid
    }
    const eq1 = fr(e * F_LOG_Q1);
    let y = 0;
    { const p = x * F_LOG_P0; const s = p + F_LOG_P1; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P1, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P2; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P2, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P3; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P3, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P4; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P4, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P5; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P5, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P6; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P6, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P7; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P7, s, r, h, o); } y = r; }
    { const p = x * y; const s = p + F_LOG_P8; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_LOG_P8, s, r, h, o); } y = r; }
    const z = fr(x * x);
    y = fr(x * y);
    { const p = y * z; const s = p + eq1; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, eq1, s, r, h, o); } y = r; }
    y = fr(y - z * 0.5); // fnmadd(z, 0.5, y): the product is exact
    x = fr(x + y);
    let lg = 0;
    { const p = e * F_LOG_Q2; const s = p + x; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, x, s, r, h, o); } lg = r; }
    const radius = fr(math.sqrt(fr(-2 * lg)));
    // ---- sincos256_ps(2 * pi * u2), u2 in [0, 1) so theta >= 0
    let t = fr(F_TWO_PI * data[off + 8 + j]);
    const yq = (((math.trunc(fr(t * F_FOPI)) | 0) + 1) & ~1); // j = (int(t * 4/pi) + 1) & ~1
    const swapSin = (yq & 4) !== 0;
    const polyMask = (yq & 2) === 0;
    const signCos = (~(yq - 2) & 4) !== 0;
    { const p = yq * F_MDP1; const s = p + t; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, t, s, r, h, o); } t = r; }
    { const p = yq * F_MDP2; const s = p + t; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, t, s, r, h, o); } t = r; }
    { const p = yq * F_MDP3; const s = p + t; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, t, s, r, h, o); } t = r; }
    const zz = fr(t * t);
    let yc = 0;
    { const p = zz * F_COSCOF_P0; const s = p + F_COSCOF_P1; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_COSCOF_P1, s, r, h, o); } yc = r; }
    { const p = zz * yc; const s = p + F_COSCOF_P2; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_COSCOF_P2, s, r, h, o); } yc = r; }
    const half = fr(zz * 0.5);
    yc = fr(zz * yc);
    { const p = yc * zz; const s = p + -half; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, -half, s, r, h, o); } yc = r; }
    let ys = 0;
    { const p = F_SINCOF_P0 * zz; const s = p + F_SINCOF_P1; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_SINCOF_P1, s, r, h, o); } ys = r; }
    { const p = zz * ys; const s = p + F_SINCOF_P2; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, F_SINCOF_P2, s, r, h, o); } ys = r; }
    yc = fr(yc + 1);
    ys = fr(zz * ys);
    { const p = ys * t; const s = p + t; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, t, s, r, h, o); } ys = r; }
    // select the polynomials (the other addend is +0, so -0 becomes +0 as in the vector code) and sign
    let sin = polyMask ? 0 + ys : yc + 0;
    let cos = polyMask ? yc + 0 : 0 + ys;
    if (swapSin) sin = -sin;
    if (signCos) cos = -cos;
    const n1 = fr(radius * cos);
    const n2 = fr(radius * sin);
    let o1 = 0;
    let o2 = 0;
    { const p = n1 * std; const s = p + mean; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, mean, s, r, h, o); } o1 = r; }
    { const p = n2 * std; const s = p + mean; let r = fr(s); const h = s - r;
      if (h !== 0) { const o = r + 2 * h; if (fr(o) === o) r = fma32Tie(p, mean, s, r, h, o); } o2 = r; }
    data[off + j] = o1;
    data[off + 8 + j] = o2;
  }
}
