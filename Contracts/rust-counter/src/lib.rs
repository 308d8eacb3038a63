//! The counter contract (Contracts/counter/counter.c) in Rust, against ABI/include/fat_contract.h.
//!
//! Same messages, same typed calling convention and the same storage ("count" → u64
//! little-endian). The header's structs are mirrored by hand below, with compile-time checks that
//! their layout matches the C one on this target, so the crate needs no bindgen and no
//! dependencies. Build: `cargo build --release --offline --manifest-path Contracts/rust-counter/Cargo.toml`.

use core::ffi::{c_char, c_void};
use core::mem::{offset_of, size_of};
use core::ptr::null;

// ---------------------------------------------------------------------------------------------
// The ABI, version 1.0, mirrored from fat_contract.h (keep in step with ABI/CHANGELOG.md).
// ---------------------------------------------------------------------------------------------

pub type FatStatus = i32;

pub const FAT_ABI_VERSION_MAJOR: u16 = 1;
pub const FAT_ABI_VERSION_MINOR: u16 = 0;

pub const FAT_OK: FatStatus = 0;
pub const FAT_ERR_INVALID_ARGUMENT: FatStatus = -3;
pub const FAT_ERR_VERSION_MISMATCH: FatStatus = -4;

pub const FAT_MSG_MUTATES: u32 = 0x1;
pub const FAT_MSG_CONSTRUCTOR: u32 = 0x2;
pub const FAT_MSG_TYPED: u32 = 0x10;

#[repr(C)]
pub struct FatAddress {
    pub bytes: [u8; 32],
}

/// OWNERSHIP: host-owned, borrowed for the duration of the call that received it.
#[repr(C)]
pub struct FatCtx {
    pub host: *const FatHostApi,
    pub host_data: *mut c_void,
}

/// The host function table. Append-only in C; only the 1.0 fields exist here.
#[repr(C)]
pub struct FatHostApi {
    pub struct_size: u32,
    pub version_major: u16,
    pub version_minor: u16,
    pub storage_get: unsafe extern "C" fn(*mut FatCtx, *const u8, usize, *mut u8, *mut usize) -> FatStatus,
    pub storage_set: unsafe extern "C" fn(*mut FatCtx, *const u8, usize, *const u8, usize) -> FatStatus,
    pub storage_remove: unsafe extern "C" fn(*mut FatCtx, *const u8, usize) -> FatStatus,
    pub storage_contains: unsafe extern "C" fn(*mut FatCtx, *const u8, usize, *mut usize) -> FatStatus,
    pub caller: unsafe extern "C" fn(*mut FatCtx, *mut FatAddress) -> FatStatus,
    pub self_address: unsafe extern "C" fn(*mut FatCtx, *mut FatAddress) -> FatStatus,
    pub call_kind: unsafe extern "C" fn(*mut FatCtx) -> u32,
    pub command_seq: unsafe extern "C" fn(*mut FatCtx) -> u64,
    pub command_timestamp_ms: unsafe extern "C" fn(*mut FatCtx) -> u64,
    pub set_output: unsafe extern "C" fn(*mut FatCtx, *const u8, usize) -> FatStatus,
    pub revert: unsafe extern "C" fn(*mut FatCtx, *const c_char, usize) -> FatStatus,
    pub emit_event: unsafe extern "C" fn(*mut FatCtx, *const u8, usize, *const u8, usize) -> FatStatus,
    pub log: unsafe extern "C" fn(*mut FatCtx, u32, *const c_char, usize),
    pub call: unsafe extern "C" fn(
        *mut FatCtx,
        *const FatAddress,
        *const u8,
        usize,
        *mut u8,
        *mut usize,
    ) -> FatStatus,
    pub last_output: unsafe extern "C" fn(*mut FatCtx, *mut u8, *mut usize) -> FatStatus,
    pub selector: unsafe extern "C" fn(*const c_char, usize, *mut u8) -> FatStatus,
    pub capability: unsafe extern "C" fn(*mut FatCtx, *const c_char, u32) -> *const c_void,
}

/// OWNERSHIP: contract-owned static data, valid until the contract is unloaded.
#[repr(C)]
pub struct FatMessage {
    pub name: *const c_char,
    pub signature: *const c_char,
    pub flags: u32,
    pub selector: [u8; 4],
    pub function: Option<unsafe extern "C" fn()>,
    pub doc: *const c_char,
}

#[repr(C)]
pub struct FatContractDescriptor {
    pub struct_size: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub name: *const c_char,
    pub version: *const c_char,
    pub messages: *const FatMessage,
    pub message_count: u32,
    pub reserved: u32,
    pub init: Option<unsafe extern "C" fn(*const FatHostApi) -> FatStatus>,
    pub fini: Option<unsafe extern "C" fn()>,
    pub dispatch: Option<unsafe extern "C" fn(*mut FatCtx, *const u8, usize) -> FatStatus>,
}

#[repr(C)]
pub struct FatNegotiation {
    pub struct_size: u32,
    pub min_major: u16,
    pub min_minor: u16,
    pub max_major: u16,
    pub max_minor: u16,
    pub host: *const FatHostApi,
}

// The layout the C compiler gives the header on every supported target: fixed-width header
// fields, then pointer-sized slots. A mismatch here is a build error, not a crash at load.
const PTR: usize = size_of::<*const c_void>();
const _: () = {
    assert!(size_of::<FatAddress>() == 32);
    assert!(offset_of!(FatHostApi, storage_get) == 8);
    assert!(offset_of!(FatHostApi, capability) == 8 + 16 * PTR);
    assert!(size_of::<FatHostApi>() == 8 + 17 * PTR);
    assert!(offset_of!(FatMessage, function) == 2 * PTR + 8);
    assert!(offset_of!(FatContractDescriptor, message_count) == 8 + 3 * PTR);
    assert!(offset_of!(FatContractDescriptor, dispatch) == 16 + 5 * PTR);
    assert!(offset_of!(FatNegotiation, host) == if PTR == 8 { 16 } else { 12 });
};

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

const COUNT_KEY: &[u8] = b"count";

/// The context of one call, for the duration of that call only.
struct Ctx(*mut FatCtx);

impl Ctx {
    fn host(&self) -> &FatHostApi {
        // SAFETY: the host passes a live context whose table outlives the call.
        unsafe { &*(*self.0).host }
    }

    /// A missing key reads as 0: a counter that was never set.
    fn load_count(&self) -> u64 {
        let mut bytes = [0u8; 8];
        let mut len = bytes.len();
        let host = self.host();
        // SAFETY: key and buffer are live for the call; len holds the buffer's capacity.
        let status = unsafe {
            (host.storage_get)(self.0, COUNT_KEY.as_ptr(), COUNT_KEY.len(), bytes.as_mut_ptr(), &mut len)
        };
        if status == FAT_OK && len == bytes.len() {
            u64::from_le_bytes(bytes)
        } else {
            0
        }
    }

    fn store_count(&self, count: u64) {
        let bytes = count.to_le_bytes();
        let host = self.host();
        // SAFETY: key and value are borrowed only for the call.
        unsafe {
            (host.storage_set)(self.0, COUNT_KEY.as_ptr(), COUNT_KEY.len(), bytes.as_ptr(), bytes.len())
        };
    }

    fn revert(&self, reason: &str) {
        let host = self.host();
        // SAFETY: the message is borrowed only for the call.
        unsafe { (host.revert)(self.0, reason.as_ptr().cast(), reason.len()) };
    }
}

/// new(initial: u64)
extern "C" fn new(ctx: *mut FatCtx, initial: u64) {
    Ctx(ctx).store_count(initial);
}

/// get() -> u64
extern "C" fn get(ctx: *mut FatCtx) -> u64 {
    Ctx(ctx).load_count()
}

/// increment(by: u32) -> u64 — overflow reverts rather than wrapping the count.
extern "C" fn increment(ctx: *mut FatCtx, by: u32) -> u64 {
    let ctx = Ctx(ctx);
    let count = ctx.load_count();
    match count.checked_add(u64::from(by)) {
        Some(next) => {
            ctx.store_count(next);
            next
        }
        None => {
            ctx.revert("counter overflow");
            count
        }
    }
}

/// reset()
extern "C" fn reset(ctx: *mut FatCtx) {
    Ctx(ctx).store_count(0);
}

// ---------------------------------------------------------------------------------------------
// Descriptor and entry
// ---------------------------------------------------------------------------------------------

/// Static data holding raw pointers is not `Sync` by default; this table is immutable, so sharing
/// it between the host's threads is sound.
#[repr(transparent)]
struct Shared<T>(T);
unsafe impl<T> Sync for Shared<T> {}

/// A table row for a typed function: the descriptor stores every function as `void (*)(void)`.
macro_rules! typed {
    ($name:literal, $signature:literal, $flags:expr, $function:ident as $ty:ty) => {
        FatMessage {
            name: $name.as_ptr(),
            signature: $signature.as_ptr(),
            flags: FAT_MSG_TYPED | $flags,
            selector: [0; 4], // derived by the host from the name
            // SAFETY: only the pointer's type changes; the host calls it per `signature`.
            function: Some(unsafe { core::mem::transmute::<$ty, unsafe extern "C" fn()>($function as $ty) }),
            doc: null(),
        }
    };
}

static MESSAGES: Shared<[FatMessage; 4]> = Shared([
    typed!(
        c"new",
        c"new(initial: u64)",
        FAT_MSG_MUTATES | FAT_MSG_CONSTRUCTOR,
        new as extern "C" fn(*mut FatCtx, u64)
    ),
    typed!(c"get", c"get() -> u64", 0, get as extern "C" fn(*mut FatCtx) -> u64),
    typed!(
        c"increment",
        c"increment(by: u32) -> u64",
        FAT_MSG_MUTATES,
        increment as extern "C" fn(*mut FatCtx, u32) -> u64
    ),
    typed!(c"reset", c"reset()", FAT_MSG_MUTATES, reset as extern "C" fn(*mut FatCtx)),
]);

static DESCRIPTOR: Shared<FatContractDescriptor> = Shared(FatContractDescriptor {
    struct_size: size_of::<FatContractDescriptor>() as u32,
    abi_major: FAT_ABI_VERSION_MAJOR,
    abi_minor: FAT_ABI_VERSION_MINOR,
    name: c"rust_counter".as_ptr(),
    version: c"1.0.0".as_ptr(),
    messages: MESSAGES.0.as_ptr(),
    message_count: MESSAGES.0.len() as u32,
    reserved: 0,
    init: None,
    fini: None,
    dispatch: None,
});

/// The negotiated entry point, with the same rules as the header's FAT_DEFINE_ENTRY: accept any
/// offer whose major range includes ours, refuse the rest with a status, never panic.
///
/// # Safety
/// `offer` and `out` are NULL or valid, as the host guarantees.
#[no_mangle]
pub unsafe extern "C" fn fat_contract_entry(
    offer: *const FatNegotiation,
    out: *mut *const FatContractDescriptor,
) -> FatStatus {
    if offer.is_null() || out.is_null() {
        return FAT_ERR_INVALID_ARGUMENT;
    }
    // Read struct_size alone first: an older, shorter offer must not be read past its end.
    if (*offer.cast::<u32>() as usize) < size_of::<FatNegotiation>() {
        return FAT_ERR_INVALID_ARGUMENT;
    }
    let offer = &*offer;
    if offer.min_major > FAT_ABI_VERSION_MAJOR || offer.max_major < FAT_ABI_VERSION_MAJOR {
        return FAT_ERR_VERSION_MISMATCH;
    }
    *out = &DESCRIPTOR.0;
    FAT_OK
}
