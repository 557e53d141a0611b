import { MemoryStorage } from './memory.ts';
import { storageContract } from './testing.ts';

storageContract('MemoryStorage', async () => ({ storage: new MemoryStorage(), close: async () => {} }));
