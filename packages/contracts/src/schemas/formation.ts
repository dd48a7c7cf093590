import { Type, type Static } from '../typebox.js';

export const FormationEntrySchema = Type.Object({
  type: Type.String(),
  quantity: Type.Integer(),
  command: Type.String(),
});
export type FormationEntry = Static<typeof FormationEntrySchema>;

export const FormationUpdateBody = Type.Object({
  updates: Type.Array(
    Type.Object({ type: Type.String({ maxLength: 64 }), quantity: Type.Integer() }),
    { minItems: 1, maxItems: 64 },
  ),
});
export type FormationUpdate = Static<typeof FormationUpdateBody>;
